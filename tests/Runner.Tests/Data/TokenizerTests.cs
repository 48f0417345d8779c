using Ablations.Runner.Data;

namespace Ablations.Runner.Tests.Data;

public sealed class TokenizerTests
{
    [Fact]
    public void WordTokenizer_EncodeRow_HasBosEotAndPadding()
    {
        var tok = new WordTokenizer(["a", "red", "circle"]);
        var row = tok.EncodeRow("A red circle!", 6);
        Assert.Equal(new long[] { tok.Bos, tok.IdOf("a")!.Value, tok.IdOf("red")!.Value, tok.IdOf("circle")!.Value, tok.Eot, tok.Pad }, row);
        Assert.Equal("a red circle", tok.Decode(row.Select(i => (int)i)));
    }

    [Fact]
    public void WordTokenizer_LongText_KeepsEotAtTheEnd()
    {
        var tok = new WordTokenizer(["x"]);
        var row = tok.EncodeRow(string.Join(' ', Enumerable.Repeat("x", 50)), 8);
        Assert.Equal(tok.Eot, row[^1]);
    }

    [Fact]
    public void BpeTokenizer_Gpt2_RoundTripsRealCaptions()
    {
        var tok = new BpeTokenizer();
        var ids = tok.EncodeWords("A dog catching a frisbee in the park.");
        Assert.True(ids.Count >= 8);
        Assert.Equal("A dog catching a frisbee in the park.", tok.Decode(ids));
        var row = tok.EncodeRow("a cat", 8);
        Assert.Equal(tok.Bos, row[0]);
        Assert.Contains((long)tok.Eot, row);
    }
}
