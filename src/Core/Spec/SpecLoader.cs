using System.Text;

namespace Ablations.Core.Spec;

/// <summary>
/// Loads an experiment spec (our native format or a plain W&amp;B sweep file) into a validated
/// <see cref="ExperimentSpec"/>, or returns every problem as file:line:col diagnostics. Never throws for bad input.
/// </summary>
public static class SpecLoader
{
    /// <summary>Characters YAML does not allow in a document (C0 controls other than tab and line breaks, DEL).</summary>
    private static readonly System.Buffers.SearchValues<char> ControlCharacters = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 32).Where(c => c is not 9 and not 10 and not 13).Select(c => (char)c), '\u007f', '\ufffe', '\uffff']);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads and parses a file; a missing, oversized or non-UTF-8 file is a diagnostic.</summary>
    /// <param name="runCap">--run-cap: replaces the file's run_cap (a random W&amp;B sweep without one needs it).</param>
    public static SpecLoadResult Load(string path, string? profile = null, int? runCap = null)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return Fail(path, 1, 1, $"file not found: '{path}'; check the path (relative paths start at {Environment.CurrentDirectory})");
            }
            if (info.Length > SpecLimits.MaxBytes)
            {
                return Fail(path, 1, 1, $"the file is {info.Length:N0} bytes, over the {SpecLimits.MaxBytes:N0}-byte limit for a spec; a spec is a few KB, so check that this is the right file");
            }
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Fail(path, 1, 1, $"cannot read the file: {e.Message}");
        }
        string text;
        try
        {
            var offset = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
            text = StrictUtf8.GetString(bytes, offset, bytes.Length - offset);
        }
        catch (DecoderFallbackException e)
        {
            return Fail(path, 1, 1, $"the file is not UTF-8 text (invalid byte at offset {e.Index}); save it as UTF-8");
        }
        return Parse(text, path, profile, runCap);
    }

    /// <summary>Parses spec text; <paramref name="path"/> names the source in messages and its stem is a W&amp;B sweep's default name.</summary>
    public static SpecLoadResult Parse(string text, string path, string? profile = null, int? runCap = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(path);
        if (Encoding.UTF8.GetByteCount(text) > SpecLimits.MaxBytes)
        {
            return Fail(path, 1, 1, $"the spec is over the {SpecLimits.MaxBytes:N0}-byte limit; a spec is a few KB, so check that this is the right file");
        }
        var controlIndex = text.AsSpan().IndexOfAny(ControlCharacters);
        if (controlIndex >= 0)
        {
            var line = 1 + text.AsSpan(0, controlIndex).Count('\n');
            var column = controlIndex - text.LastIndexOf('\n', Math.Max(0, controlIndex - 1));
            return Fail(path, line, column, $"the file holds binary data (control character U+{(int)text[controlIndex]:X4}); a spec must be YAML text");
        }
        var diags = new DiagnosticBag(path);
        var root = YamlTreeReader.Read(text, diags);
        if (root is null)
        {
            return new SpecLoadResult(null, diags.Sorted());
        }
        var spec = new SpecBuilder(diags).Build(root, path, text, profile, runCap);
        return diags.Count > 0 || spec is null ? new SpecLoadResult(null, diags.Sorted()) : new SpecLoadResult(spec, []);
    }

    private static SpecLoadResult Fail(string path, int line, int column, string message) =>
        new(null, [new SpecDiagnostic(path, line, column, message)]);
}
