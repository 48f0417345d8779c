namespace Ablations.Core.Spec;

/// <summary>
/// A YAML node with its position, built from YamlDotNet's parser events (see <see cref="YamlTreeReader"/>).
/// Aliases point at the anchored node; <see cref="Size"/> counts nodes as if aliases were expanded.
/// </summary>
internal abstract class SpecNode(int line, int column)
{
    public int Line { get; } = line;
    public int Column { get; } = column;
    public int Size { get; set; } = 1;

    public abstract string KindName { get; }
}

internal sealed class SpecScalar(int line, int column, string value, bool isPlain, string? tag) : SpecNode(line, column)
{
    public string Value { get; } = value;
    /// <summary>Unquoted: typed by the YAML 1.2 core schema. Quoted or block scalars are always strings.</summary>
    public bool IsPlain { get; } = isPlain;
    public string? Tag { get; } = tag;
    /// <summary>A parameter key flattened from W&amp;B nested <c>parameters:</c>: the names along the nesting.</summary>
    public IReadOnlyList<string>? NestedPath { get; init; }
    public override string KindName => "a scalar";

    public bool IsNull => IsPlain && Tag is null && Value is "" or "~" or "null" or "Null" or "NULL";
}

internal sealed class SpecSequence(int line, int column) : SpecNode(line, column)
{
    public List<SpecNode> Items { get; } = [];
    public override string KindName => "a list";
}

internal sealed class SpecMapping(int line, int column) : SpecNode(line, column)
{
    public List<KeyValuePair<SpecScalar, SpecNode>> Entries { get; } = [];
    public override string KindName => "a mapping";

    public SpecNode? Get(string key)
    {
        foreach (var (k, v) in Entries)
        {
            if (k.Value == key)
            {
                return v;
            }
        }
        return null;
    }

    public SpecScalar? KeyNode(string key) => Entries.FirstOrDefault(e => e.Key.Value == key).Key;

    public IEnumerable<string> Keys => Entries.Select(e => e.Key.Value);
}
