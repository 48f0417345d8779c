using Ablations.Orchestrator.Tests.Web;

namespace Ablations.Orchestrator.Tests.Scheduling;

/// <summary>
/// `submit` and `serve` schedule and show stages without the Runner: the scheduling layer and the job queue are
/// torch-free, so neither command loads the Runner's assembly, TorchSharp or libtorch; and a runner loads libtorch only
/// when a stage that runs on torch arrives, so a grid of external programs never pays for it.
/// </summary>
[Collection("processes")]
public sealed class TorchFreeCommandsTests
{
    [Fact]
    public async Task SubmitAndServe_NeverLoadTheRunnerOrLibtorch()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Fixtures.Trainer);
        var spec = dir.Write("s.yaml", Fixtures.Spec("torch-free", "[1, 2]", "[3]", seeds: "[1]"));

        // The dynamic loader reports every native library a process opens (libtorch is opened with dlopen).
        var submit = Ablate.Wait(Ablate.Start(dir.Path, new Dictionary<string, string> { ["LD_DEBUG"] = "files" }, "submit", spec), TimeSpan.FromMinutes(3));

        Assert.True(submit.ExitCode == 0, submit.All);
        Assert.Contains("e_sqlite3", submit.Stderr); // the loader's report is there: the store's native SQLite was opened
        Assert.DoesNotContain("libtorch", submit.Stderr);
        Assert.DoesNotContain("LibTorchSharp", submit.Stderr);

        await using var serve = await ServeProcess.Start(dir.Path, "--urls", "http://127.0.0.1:0");
        using var client = serve.Client();
        Assert.True((await client.GetAsync("/api/experiments")).IsSuccessStatusCode);
        Assert.True((await client.GetAsync("/hangfire/jobs/enqueued")).IsSuccessStatusCode);
        var maps = File.ReadAllText($"/proc/{serve.ProcessId}/maps");

        Assert.Contains("Ablations.Queue.dll", maps); // the job queue's dashboard is mapped, as every loaded assembly is
        Assert.DoesNotContain("Ablations.Runner.dll", maps);
        Assert.DoesNotContain("TorchSharp", maps);
        Assert.DoesNotContain("libtorch", maps);
    }

    [Fact]
    public void ARunnerOfCommandStages_NeverLoadsLibtorch_ATorchStageLoadsItWhenItComes()
    {
        using var dir = new TempDir();
        var loaderLog = new Dictionary<string, string> { ["LD_DEBUG"] = "files" }; // inherited by the runner: its stderr is in runner.log
        var runnerLog = Path.Combine(dir.Path, ".ablations", "logs", "runner.log");
        var commands = dir.Write("c.yaml", """
            name: programs-only
            command: [bash, -c, "echo '{\"name\": \"x\", \"value\": 1}'", "${args}"]
            parameters:
              a: {values: [1, 2, 3]}
            """);

        var run = Ablate.Wait(Ablate.Start(dir.Path, loaderLog, "run", commands), TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode == 0, run.All);
        var log = File.ReadAllText(runnerLog);
        Assert.Contains("e_sqlite3", log); // the loader's report of the runner process is there
        Assert.DoesNotContain("libtorch", log);
        Assert.DoesNotContain("libtorch", run.Stderr); // nor did `run` itself (plan, submit, report) load it

        var world = dir.Write("w.yaml", """
            name: with-a-world
            pipeline:
              data:
                type: world
                options: {image_size: 16, web_pool: 128, filtered_pool: 96, hq_pool: 32, eval_per_task: 24, retrieval: 24}
            """);
        var second = Ablate.Wait(Ablate.Start(dir.Path, loaderLog, "run", world), TimeSpan.FromMinutes(3));

        Assert.True(second.ExitCode == 0, second.All);
        Assert.Contains("libtorch", File.ReadAllText(runnerLog)[log.Length..]);
    }
}
