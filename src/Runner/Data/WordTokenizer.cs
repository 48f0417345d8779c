namespace Ablations.Runner.Data;

/// <summary>Word-level tokenizer over a closed vocabulary (the world's): lower-cased words, unknown words → UNK.</summary>
internal sealed class WordTokenizer : ITextTokenizer
{
    public const int PadId = 0, BosId = 1, EotId = 2, UnkId = 3;
    private readonly Dictionary<string, int> _ids;
    private readonly string[] _words;

    public WordTokenizer(IEnumerable<string> vocabulary)
    {
        _words = ["<pad>", "<bos>", "<eot>", "<unk>", .. vocabulary.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _ids = _words.Select((w, i) => (w, i)).ToDictionary(x => x.w, x => x.i, StringComparer.Ordinal);
    }

    public string Kind => "word";
    public int VocabSize => _words.Length;
    public int Pad => PadId;
    public int Bos => BosId;
    public int Eot => EotId;
    public IReadOnlyList<string> Words => _words;

    public IReadOnlyList<int> EncodeWords(string text) =>
        Split(text).Select(w => _ids.TryGetValue(w, out var id) ? id : UnkId).ToList();

    public string Decode(IEnumerable<int> ids) =>
        string.Join(' ', ids.Where(i => i > UnkId && i < _words.Length).Select(i => _words[i]));

    public int? IdOf(string word) => _ids.TryGetValue(word, out var id) ? id : null;

    public static IEnumerable<string> Split(string text) =>
        text.ToLowerInvariant().Split([' ', ',', '.', '!', '?', ';', ':', '"', '\''], StringSplitOptions.RemoveEmptyEntries);
}
