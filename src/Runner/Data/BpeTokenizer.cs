using Microsoft.ML.Tokenizers;

namespace Ablations.Runner.Data;

/// <summary>
/// GPT-2 byte-level BPE (Microsoft.ML.Tokenizers, vocabulary from the Gpt2 data package) for real captions.
/// GPT-2 has a single special token, &lt;|endoftext|&gt; (50256): it serves as EOT; BOS and PAD get two ids past it.
/// </summary>
internal sealed class BpeTokenizer : ITextTokenizer
{
    private readonly Tokenizer _inner = TiktokenTokenizer.CreateForModel("gpt2");

    public string Kind => "gpt2";
    public int VocabSize => 50259;
    public int Eot => 50256;
    public int Bos => 50257;
    public int Pad => 50258;

    public IReadOnlyList<int> EncodeWords(string text) => _inner.EncodeToIds(text);

    public string Decode(IEnumerable<int> ids) => _inner.Decode(ids.Where(i => i < Eot));
}
