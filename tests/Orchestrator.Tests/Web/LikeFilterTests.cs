using System.Net;
using System.Text.Json.Nodes;

namespace Ablations.Orchestrator.Tests.Web;

/// <summary>LIKE filters through the real server on long parameter values: patterns with many '%' answer, and answer right.</summary>
[Collection("processes")]
public sealed class LikeFilterTests(SubmittedWorkspace workspace) : IClassFixture<SubmittedWorkspace>
{
    // 30 times "%a": a backtracking matcher tries every way of placing 30 a's among 200 before it can say no.
    private static readonly string ManyAs = string.Concat(Enumerable.Repeat("%a", 30));

    [Theory]
    [InlineData("%b", 1)]   // only the tag that ends in b
    [InlineData("%", 2)]    // both tags hold 30 a's
    [InlineData("%c", 0)]   // neither holds a c: every placement fails
    [InlineData("%_b", 1)]
    public async Task Runs_LikeWithManyPercents_AnswersWithTheMatchingRuns(string tail, int count)
    {
        await using var server = await workspace.Serve();
        var filter = $"params.tag LIKE '{ManyAs}{tail}'";

        using var response = await server.Client.GetAsync("/api/experiments/tags/runs?filter=" + Uri.EscapeDataString(filter));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.Equal(count, (int)JsonNode.Parse(body)!["count"]!);
    }

    [Fact]
    public async Task Runs_IlikeWithManyPercents_IgnoresCase()
    {
        await using var server = await workspace.Serve();
        var filter = $"params.tag ILIKE '{ManyAs.ToUpperInvariant()}%B'";

        using var response = await server.Client.GetAsync("/api/experiments/tags/runs?filter=" + Uri.EscapeDataString(filter));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        var run = Assert.Single(JsonNode.Parse(body)!["runs"]!.AsArray())!;
        Assert.Equal(SubmittedWorkspace.LongTag + "b", (string?)run["params"]!["tag"]);
    }
}
