using System.Net;
using System.Text.Json.Nodes;

namespace Ablations.Orchestrator.Tests.Web;

/// <summary>The web UI and API over an experiment with two revisions (a changed environment): the current one by default, an older one on request.</summary>
[Collection("processes")]
public sealed class RevisionApiTests
{
    [Fact]
    public async Task TwoRevisions_CurrentByDefault_OlderOneOnRequest_UnknownOne404()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("toy.yaml", Fixtures.Spec("toy", "[1]", "[3]", seeds: "[1]", env: "X: '1'"));
        Assert.Equal(0, Ablate.Run(dir.Path, "run", spec).ExitCode);
        dir.Write("toy.yaml", Fixtures.Spec("toy", "[1, 2]", "[3]", seeds: "[1]", env: "X: '2'"));
        Assert.Equal(0, Ablate.Run(dir.Path, "run", spec).ExitCode);
        await using var server = await WebServer.Start(dir.Root, Path.Combine(dir.Path, "reports"), null);

        var current = JsonNode.Parse(await server.Client.GetStringAsync("/api/experiments/toy"))!;
        var old = JsonNode.Parse(await server.Client.GetStringAsync("/api/experiments/toy?revision=1"))!;
        var oldRuns = JsonNode.Parse(await server.Client.GetStringAsync("/api/experiments/toy/runs?revision=1"))!;
        var currentRuns = JsonNode.Parse(await server.Client.GetStringAsync("/api/experiments/toy/runs"))!;
        using var missing = await server.Client.GetAsync("/api/experiments/toy?revision=9");
        var page = await server.Client.GetStringAsync("/experiments/toy?revision=1");

        Assert.Equal((2, 2, 2), ((int)current["summary"]!["revision"]!, (int)current["summary"]!["revisions"]!, (int)current["summary"]!["runs"]!));
        Assert.Equal(2, current["revisionHistory"]!.AsArray().Count);
        Assert.NotEmpty(current["report"]!.AsArray());
        Assert.Equal((1, 1), ((int)old["summary"]!["revision"]!, (int)old["summary"]!["runs"]!));
        Assert.Empty(old["report"]!.AsArray()); // the report folder holds the current revision's report
        Assert.Equal(1, (int)oldRuns["total"]!);
        Assert.Equal(2, (int)currentRuns["total"]!);
        Assert.DoesNotContain((string)oldRuns["runs"]![0]!["id"]!, currentRuns["runs"]!.AsArray().Select(r => (string)r!["id"]!)); // the env changed: another run
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("revision 9 is not one of them", await missing.Content.ReadAsStringAsync());
        Assert.Contains("revision 1 of 2 — not the current revision", page);
        Assert.Contains("data-revision=\"1\"", page);
        Assert.Contains("href=\"/experiments/toy\">2</a>", page);
    }
}
