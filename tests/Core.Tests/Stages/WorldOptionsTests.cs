using Ablations.Core.Stages;
using System.Text.Json.Nodes;

namespace Ablations.Core.Tests.Stages;

public sealed class WorldOptionsTests
{
    [Fact]
    public void Tokenizer_DefaultsToWord_AndStaysOutOfTheHashedConfig()
    {
        var plain = WorldOptions.Bind(new JsonObject { ["seed"] = 3 });
        Assert.Equal("word", plain.Tokenizer);
        Assert.False(plain.ToJson().ContainsKey("tokenizer")); // worlds made before the option keep their hashes
        var bpe = WorldOptions.Bind(new JsonObject { ["seed"] = 3, ["tokenizer"] = "gpt2" });
        Assert.Equal("gpt2", bpe.ToJson()["tokenizer"]!.GetValue<string>());
    }

    [Fact]
    public void Tokenizer_Unknown_NamesTheKeyAndTheChoices()
    {
        var e = Assert.Throws<StageConfigException>(() => WorldOptions.Bind(new JsonObject { ["tokenizer"] = "gpt-2" }));
        Assert.Contains("tokenizer: 'gpt-2' is not one of word, gpt2", e.Message);
    }
}
