using Ablations.Core.Stages;
using Ablations.Core.Execution;
using Ablations.Core.Planning;
using Ablations.Core.Spec;
using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Ablations.Orchestrator.Scheduling;
using Ablations.Queue;
using Ablations.Runner.Hosting;
using System.Text.Json.Nodes;

namespace Ablations.Orchestrator.Tests.Scheduling;

/// <summary>Transient failures are retried by Hangfire with back-off; deterministic ones fail once with their reason.</summary>
[Collection("processes")]
public sealed class RetryClassificationTests
{
    /// <summary>Fails with the given exception for the first <c>failures</c> calls of each stage, then succeeds.</summary>
    private sealed class FlakyStage(Func<Exception> failure, int failures) : IStageExecutor
    {
        private readonly Dictionary<string, int> _calls = new();

        public StageType Type => StageTypes.Command;

        public void Execute(StageContext context)
        {
            int n;
            lock (_calls) n = _calls[context.StageHash] = _calls.GetValueOrDefault(context.StageHash) + 1;
            if (n <= failures) throw failure();
            File.WriteAllText(Path.Combine(context.OutputDir, "done.txt"), "ok");
            context.Metrics.Final("score", n);
        }
    }

    private static (ResultsStore Store, int ExperimentId) RunOne(TempDir dir, IStageExecutor executor, Func<IReadOnlyList<StageRow>, bool> done)
    {
        var spec = new ExperimentSpec
        {
            Name = "flaky", SourcePath = Path.Combine(dir.Path, "x.yaml"), SourceText = "", Pipeline = "command",
            Command = new CommandSpec(null, ["true"], null, new Dictionary<string, string>(), null),
            Axes = [new Axis(["a"], [[JsonValue.Create(1)]])],
        };
        var workspace = dir.Workspace;
        var store = ResultsStore.Open(workspace.Store);
        var queue = HangfireJobQueue.Of(workspace);
        var submitted = Submission.Submit(workspace, store, Planner.Plan(spec));
        using (new RunnerHost(workspace, new RunnerSettings(), queue, [executor]))
            Ablate.WaitUntil(() => done(store.StagesOf(submitted.Stored.ExperimentId)), TimeSpan.FromSeconds(90), "the stage to settle");
        return (store, submitted.Stored.ExperimentId);
    }

    [Fact]
    public void TransientFailure_RetriedAfterBackoff_ThenSucceeds()
    {
        using var dir = new TempDir();
        var (store, id) = RunOne(dir, new FlakyStage(() => new IOException("disk hiccup"), failures: 1),
            stages => stages.Single().Status == StageStatus.Succeeded);
        var stage = store.StagesOf(id).Single();
        Assert.Equal(2, stage.Attempts);
        Assert.Null(stage.FailureKind);
        Assert.True(Directory.Exists(Path.Combine(dir.Workspace.ArtifactDir(stage.Hash))));
        Assert.True(File.Exists(Path.Combine(dir.Workspace.ArtifactDir(stage.Hash), "done.txt")));
    }

    [Fact]
    public void DeterministicFailure_FailsOnceWithClassifiedReason_NoHalfArtifact()
    {
        using var dir = new TempDir();
        var (store, id) = RunOne(dir, new FlakyStage(() => new StageFailedException(FailureKind.Diverged, "loss is NaN at step 7"), failures: 99),
            stages => stages.Single().Status == StageStatus.Failed);
        Thread.Sleep(2500); // a retry, if one were (wrongly) scheduled, would have started by now
        var stage = store.StagesOf(id).Single();
        Assert.Equal((StageStatus.Failed, 1, "Diverged"), (stage.Status, stage.Attempts, stage.FailureKind));
        Assert.Contains("NaN", stage.Error);
        Assert.False(Directory.Exists(dir.Workspace.ArtifactDir(stage.Hash)));
        Assert.Empty(Directory.GetDirectories(dir.Workspace.StagingDir));
    }
}
