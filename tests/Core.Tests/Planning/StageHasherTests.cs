using Ablations.Core.Planning;
using System.Text.Json.Nodes;

namespace Ablations.Core.Tests.Planning;

public sealed class StageHasherTests
{
    private static readonly Dictionary<string, string> NoInputs = new();

    [Fact]
    public void Hash_KnownInput_PinnedValue()
    {
        // Pinned: a change here changes every stored stage's identity, so it must be deliberate.
        var hash = StageHasher.Hash("command", new JsonObject { ["seed"] = 1, ["params"] = new JsonObject { ["lr"] = 0.1 } }, NoInputs);
        Assert.Equal(64, hash.Length);
        Assert.Equal(StageHasher.Hash("command", JsonNode.Parse("""{"params":{"lr":0.1},"seed":1.0}""")!.AsObject(), NoInputs), hash);
        // = sha256 of {"code":"2","config":{"params":{"lr":0.1},"seed":1},"inputs":{},"type":"command"}, computed outside .NET
        // (code 2: command stages pass arguments as W&B does, see StageTypes.Command)
        Assert.Equal("7f1ecaf9ec06fdd4c7496aaf1c31a0a94215b9ad0589c400708028721160c9c3", hash);
    }

    [Fact]
    public void Hash_DifferentConfigTypeOrInputs_Differs()
    {
        var config = new JsonObject { ["epochs"] = 2 };
        var h = StageHasher.Hash("teacher", config, NoInputs);
        Assert.NotEqual(h, StageHasher.Hash("teacher", new JsonObject { ["epochs"] = 3 }, NoInputs));
        Assert.NotEqual(h, StageHasher.Hash("student", config, NoInputs));
        Assert.NotEqual(h, StageHasher.Hash("teacher", config, new Dictionary<string, string> { ["world"] = "abc" }));
        Assert.NotEqual(
            StageHasher.Hash("teacher", config, new Dictionary<string, string> { ["world"] = "abc" }),
            StageHasher.Hash("teacher", config, new Dictionary<string, string> { ["pool"] = "abc" }));
    }
}
