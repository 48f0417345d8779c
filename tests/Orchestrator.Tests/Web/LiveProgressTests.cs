using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Ablations.Orchestrator.Tests.Web;

/// <summary>The server reads the store while `ablate run` writes it: progress moves without restarting anything.</summary>
[Collection("processes")]
public sealed class LiveProgressTests
{
    [Fact]
    public async Task Experiment_WhileGridRuns_ProgressMovesToFinished()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("live.yaml", Fixtures.Spec("live", "[1, 2]", "[3]", seeds: "[1, 2]", env: "SLEEP: '1'"));
        await using var server = await WebServer.Start(dir.Root, Path.Combine(dir.Path, "reports"));
        var run = Ablate.Start(dir.Path, "run", spec);
        var seen = new List<string>();
        try
        {
            var clock = Stopwatch.StartNew();
            var sawRunning = false;
            JsonNode? summary = null;
            while (clock.Elapsed < TimeSpan.FromMinutes(3))
            {
                using var response = await server.Client.GetAsync("/api/experiments/live");
                if (response.IsSuccessStatusCode)
                {
                    summary = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["summary"]!;
                    var stages = summary["stages"]!;
                    seen.Add($"{(int)stages["running"]!} running, {(int)stages["succeeded"]!} done, progress {(double)summary["progress"]!:F2}");
                    sawRunning |= (int)stages["running"]! > 0 && !(bool)summary["finished"]!;
                    if ((bool)summary["finished"]!) break;
                }
                await Task.Delay(250);
            }

            Assert.True(sawRunning, "never saw a running stage: " + string.Join(" | ", seen));
            Assert.NotNull(summary);
            Assert.True((bool)summary["finished"]!, string.Join(" | ", seen));
            Assert.Equal(4, (int)summary["stages"]!["succeeded"]!);
            var result = Ablate.Wait(run, TimeSpan.FromMinutes(2));
            Assert.True(result.ExitCode == 0, result.All);
        }
        finally
        {
            if (!run.HasExited) run.Kill(entireProcessTree: true);
        }
    }
}
