using Ablations.Core.Planning;
using System.Text.Json.Nodes;

namespace Ablations.Core.Tests.Planning;

public sealed class JsonCanonicalTests
{
    [Fact]
    public void Serialize_KeysInAnyOrder_SameText()
    {
        var a = JsonNode.Parse("""{"b": 1, "a": {"y": [1, 2], "x": "s"}}""");
        var b = JsonNode.Parse("""{"a": {"x": "s", "y": [1, 2]}, "b": 1}""");
        Assert.Equal(JsonCanonical.Serialize(a), JsonCanonical.Serialize(b));
        Assert.Equal("""{"a":{"x":"s","y":[1,2]},"b":1}""", JsonCanonical.Serialize(a));
    }

    [Fact]
    public void Serialize_IntegralDoubleAndInteger_SameText()
    {
        var node = new JsonObject { ["x"] = 1.0, ["y"] = 1L, ["z"] = 0.1 };
        Assert.Equal("""{"x":1,"y":1,"z":0.1}""", JsonCanonical.Serialize(node));
    }

    [Fact]
    public void Serialize_MixedBackingValues_SameAsParsed()
    {
        var built = new JsonObject { ["s"] = "t", ["b"] = true, ["n"] = null, ["d"] = 2.5 };
        var parsed = JsonNode.Parse("""{"s":"t","b":true,"n":null,"d":2.5}""");
        Assert.Equal(JsonCanonical.Serialize(parsed), JsonCanonical.Serialize(built));
    }
}
