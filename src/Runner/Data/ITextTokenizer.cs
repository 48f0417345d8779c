namespace Ablations.Runner.Data;

/// <summary>
/// Text → fixed-length token rows for the text tower and the caption decoder: [BOS, tokens…, EOT, PAD…].
/// Word-level for the synthetic world, GPT-2 BPE for real captions; models only see these ids.
/// </summary>
internal interface ITextTokenizer
{
    string Kind { get; }
    int VocabSize { get; }
    int Pad { get; }
    int Bos { get; }
    int Eot { get; }

    /// <summary>Content token ids (no BOS/EOT), possibly longer than a context.</summary>
    IReadOnlyList<int> EncodeWords(string text);

    string Decode(IEnumerable<int> ids);
}

internal static class TokenizerExtensions
{
    /// <summary>[BOS, ids…, EOT, PAD…] of exactly <paramref name="context"/> ids; long captions are cut before the EOT.</summary>
    public static long[] EncodeRow(this ITextTokenizer tok, string text, int context)
    {
        var row = new long[context];
        Array.Fill(row, (long)tok.Pad);
        var words = tok.EncodeWords(text);
        var n = Math.Min(words.Count, context - 2);
        row[0] = tok.Bos;
        for (var i = 0; i < n; i++) row[i + 1] = words[i];
        row[n + 1] = tok.Eot;
        return row;
    }

    public static long[] EncodeBatch(this ITextTokenizer tok, IReadOnlyList<string> texts, int context)
    {
        var flat = new long[texts.Count * context];
        for (var i = 0; i < texts.Count; i++) tok.EncodeRow(texts[i], context).CopyTo(flat, i * context);
        return flat;
    }
}
