using System.Net;
using System.Text.Json.Nodes;

namespace Ablations.Orchestrator.Tests.Web;

/// <summary>The JSON API and the pages through a real Kestrel server over a workspace filled by a real `ablate run`.</summary>
[Collection("processes")]
public sealed class ApiTests(GridWorkspace grid) : IClassFixture<GridWorkspace>
{
    private static async Task<(HttpStatusCode Status, JsonNode Body)> Get(WebServer server, string path)
    {
        using var response = await server.Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        return (response.StatusCode, JsonNode.Parse(text)!);
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetText(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Experiments_FinishedGrid_RunsStageCountsAndProgress()
    {
        await using var server = await grid.Serve();

        var (status, body) = await Get(server, "/api/experiments");

        Assert.Equal(HttpStatusCode.OK, status);
        var toy = Assert.Single(body.AsArray())!;
        Assert.Equal("toy", (string?)toy["name"]);
        Assert.Equal(GridWorkspace.Description, (string?)toy["description"]);
        Assert.Equal(8, (int)toy["runs"]!);
        Assert.Equal(8, (int)toy["stages"]!["total"]!);
        Assert.Equal(4, (int)toy["stages"]!["succeeded"]!);
        Assert.Equal(4, (int)toy["stages"]!["failed"]!);
        Assert.Equal(1.0, (double)toy["progress"]!);
        Assert.True((bool)toy["finished"]!);
        Assert.Equal("score", (string?)toy["metric"]);
    }

    [Fact]
    public async Task Experiment_Detail_RunStatusesAxesAndReportFiles()
    {
        await using var server = await grid.Serve();

        var (status, body) = await Get(server, "/api/experiments/toy");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4, (int)body["runStatuses"]!["succeeded"]!);
        Assert.Equal(4, (int)body["runStatuses"]!["failed"]!);
        Assert.Equal(new[] { "a", "b" }, body["axes"]!.AsArray().Select(a => (string)a!));
        Assert.Equal(4, body["active"]!.AsArray().Count(s => (string?)s!["status"] == "failed"));
        // the summary ends with the last output line; stdout and stderr arrive through two pipes, so which
        // of the script's lines is last is not fixed: check the part of the message that is
        Assert.Contains("exited with code 3", (string?)body["active"]![0]!["error"]);
        var csv = body["report"]!.AsArray().Single(f => (string?)f!["name"] == "results.csv")!;
        var (fileStatus, text) = await GetText(server.Client, (string)csv["url"]!);
        Assert.Equal(HttpStatusCode.OK, fileStatus);
        Assert.StartsWith("run_id,cell,seed,status,is_baseline,param.a,param.b", text);
    }

    [Fact]
    public async Task Experiment_Unknown_404NamesTheKnownExperiments()
    {
        await using var server = await grid.Serve();

        var (status, body) = await Get(server, "/api/experiments/nope");
        var (runsStatus, _) = await Get(server, "/api/experiments/nope/runs");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(HttpStatusCode.NotFound, runsStatus);
        Assert.Equal("unknown experiment 'nope'; known experiments are toy", (string?)body["error"]);
    }

    [Fact]
    public async Task Runs_Filter_ReturnsOnlyMatchingRowsWithParamsAndMetrics()
    {
        await using var server = await grid.Serve();

        var (status, body) = await Get(server, "/api/experiments/toy/runs?filter=" + Uri.EscapeDataString("params.a = 2 and metrics.score > 23.015"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(8, (int)body["total"]!);
        var run = Assert.Single(body["runs"]!.AsArray())!;
        Assert.Equal(2, (int)run["seed"]!);
        Assert.Equal(3, (int)run["params"]!["b"]!);
        Assert.Equal(23.02, (double)run["metrics"]!["score"]!, 6);
        Assert.Equal("succeeded", (string?)run["status"]);
        Assert.Contains("score", body["columns"]!.AsArray().Select(c => (string?)c));
    }

    [Theory]
    [InlineData("status = 'failed'", 4)]
    [InlineData("seed = 1 and status = 'succeeded'", 2)]
    [InlineData("params.b != 99", 4)]
    [InlineData("", 8)]
    public async Task Runs_FilterOnAttributes_Counts(string filter, int count)
    {
        await using var server = await grid.Serve();

        var (status, body) = await Get(server, "/api/experiments/toy/runs?filter=" + Uri.EscapeDataString(filter));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(count, (int)body["count"]!);
    }

    [Theory]
    [InlineData("metrics.score >", 16, "position 16: expected a value after '>'")]
    [InlineData("params.c = 1", 1, "position 1: no run has the parameter 'c'; parameters are a, b")]
    [InlineData("metrics.acc > 1", 1, "position 1: no run has the metric 'acc' (yet); metrics so far are score")]
    public async Task Runs_BadFilter_400WithMessageAndPosition(string filter, int position, string message)
    {
        await using var server = await grid.Serve();

        var (status, body) = await Get(server, "/api/experiments/toy/runs?filter=" + Uri.EscapeDataString(filter));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(message, (string?)body["error"]);
        Assert.Equal(position, (int)body["position"]!);
    }

    [Fact]
    public async Task Run_Succeeded_ParamsMetricsCurveAndItsStage()
    {
        await using var server = await grid.Serve();
        var (_, runs) = await Get(server, "/api/experiments/toy/runs?filter=" + Uri.EscapeDataString("params.a = 1 and params.b = 3 and seed = 2"));
        var id = (string)runs["runs"]![0]!["id"]!;

        var (status, run) = await Get(server, $"/api/runs/{id}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("toy", (string?)run["experiment"]);
        Assert.Equal(13.02, (double)run["metrics"]!["score"]!, 6);
        var loss = run["curves"]!["loss"]!.AsArray();
        Assert.Equal(3, loss.Count);
        Assert.Equal(0.3, (double)loss[2]![1]!, 6);
        var stage = Assert.Single(run["stages"]!.AsArray())!;
        Assert.Equal("command", (string?)stage["type"]);
        Assert.Equal("succeeded", (string?)stage["status"]);
        Assert.Equal(1, (int)stage["attempts"]!);
    }

    [Fact]
    public async Task Run_Failed_StageErrorAndLogTail()
    {
        await using var server = await grid.Serve();
        var (_, runs) = await Get(server, "/api/experiments/toy/runs?filter=" + Uri.EscapeDataString("status = 'failed'"));
        var id = (string)runs["runs"]![0]!["id"]!;

        var (_, run) = await Get(server, $"/api/runs/{id}?experiment=toy");
        var stage = Assert.Single(run["stages"]!.AsArray())!;
        var (logStatus, log) = await Get(server, (string)stage["log"]!);

        Assert.Equal("failed", (string?)run["status"]);
        Assert.Equal("ExternalFailure", (string?)stage["failureKind"]);
        Assert.Contains("exited with code 3", (string?)stage["error"]);
        Assert.Equal(HttpStatusCode.OK, logStatus);
        Assert.True((bool)log["exists"]!);
        Assert.Contains("diverged badly", (string?)log["text"]);
    }

    [Fact]
    public async Task Run_Unknown_404_StageLogBadOrUnknownHash()
    {
        await using var server = await grid.Serve();

        var (runStatus, run) = await Get(server, "/api/runs/0000000000000000");
        var (badStatus, _) = await Get(server, "/api/stages/..%2F..%2Fetc%2Fpasswd/log");
        var (unknownStatus, unknown) = await Get(server, "/api/stages/" + new string('a', 64) + "/log");

        Assert.Equal(HttpStatusCode.NotFound, runStatus);
        Assert.Contains("unknown run '0000000000000000'", (string?)run["error"]);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal(HttpStatusCode.NotFound, unknownStatus);
        Assert.StartsWith("unknown stage", (string?)unknown["error"]);
    }

    [Fact]
    public async Task Pages_RenderAndEncodeStoredText()
    {
        await using var server = await grid.Serve();
        var (_, runs) = await Get(server, "/api/experiments/toy/runs?filter=" + Uri.EscapeDataString("status = 'succeeded'"));
        var id = (string)runs["runs"]![0]!["id"]!;

        var (homeStatus, home) = await GetText(server.Client, "/");
        var (expStatus, experiment) = await GetText(server.Client, "/experiments/toy?filter=seed%20%3D%201");
        var (runStatus, run) = await GetText(server.Client, $"/runs/{id}?experiment=toy");
        var (missingStatus, missing) = await GetText(server.Client, "/experiments/%3Cb%3Enope");

        Assert.Equal(HttpStatusCode.OK, homeStatus);
        Assert.Contains("href=\"/experiments/toy\"", home);
        Assert.Contains("Toy grid &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; friends", home);
        Assert.DoesNotContain("<script>alert", home);
        Assert.Equal(HttpStatusCode.OK, expStatus);
        Assert.Contains("data-experiment=\"toy\"", experiment);
        Assert.Contains("value=\"seed = 1\"", experiment);
        Assert.DoesNotContain("<script>alert", experiment);
        Assert.Equal(HttpStatusCode.OK, runStatus);
        Assert.Contains("<polyline", run);
        Assert.Contains("score", run);
        Assert.Equal(HttpStatusCode.NotFound, missingStatus);
        Assert.Contains("unknown experiment &#39;&lt;b&gt;nope&#39;", missing);
    }

    [Fact]
    public async Task Reports_ServedReadOnly_MissingOrOutside404_ApiFallback404()
    {
        await using var server = await grid.Serve();

        var (missing, _) = await GetText(server.Client, "/reports/toy/nothing.html");
        var (outside, _) = await GetText(server.Client, "/reports/..%2F.ablations%2Fablations.db");
        var (markdown, table) = await GetText(server.Client, "/reports/toy/tables/ablation.md");
        var (api, body) = await Get(server, "/api/nothing");

        Assert.Equal(HttpStatusCode.NotFound, missing);
        Assert.Equal(HttpStatusCode.NotFound, outside);
        Assert.Equal(HttpStatusCode.OK, markdown);
        Assert.Contains("| a | b |", table);
        Assert.Equal(HttpStatusCode.NotFound, api);
        Assert.Contains("/api/experiments", (string?)body["error"]);
    }

    [Fact]
    public async Task Dashboard_WithoutToken_ReachableButReadOnly()
    {
        await using var server = await grid.Serve();

        var (status, page) = await GetText(server.Client, "/hangfire");
        var (jobsStatus, jobs) = await GetText(server.Client, "/hangfire/jobs/succeeded");
        using var delete = await server.Client.PostAsync("/hangfire/jobs/enqueued/delete",
            new FormUrlEncodedContent([new KeyValuePair<string, string>("jobs[]", "1")]));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Ablations · jobs", WebUtility.HtmlDecode(page));
        Assert.Equal(HttpStatusCode.OK, jobsStatus);
        Assert.Contains("StageJob", jobs);
        Assert.Equal(HttpStatusCode.Unauthorized, delete.StatusCode); // Hangfire answers commands of a read-only dashboard with 401
    }
}
