using Ablations.Core.Store;
using Ablations.Core.Store.Entities;

namespace Ablations.Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 3's resume guarantee end to end: a runner process killed (-9) in the middle of a student's training
/// after a checkpoint, a new runner resuming it from that checkpoint, and the published weights equal, byte
/// for byte, to those of the same stage trained without interruption in another workspace. Issue 8: the resumed
/// stage also keeps every metric point logged before its checkpoint, once, so its curves equal the uninterrupted ones.
/// </summary>
[Collection("processes")]
public sealed class TrainingResumeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    // 1,200 web images, batch 4, one epoch: 300 steps, checkpoints after steps 100, 200 and 300 (ClusterTests trains it too).
    internal const string Spec = """
        name: resume
        method: grid
        metric: {name: zeroshot_avg, goal: maximize}
        seeds: [1]
        stages:
          world: {seed: 3, image_size: 16, web_pool: 1200, filtered_pool: 16, hq_pool: 16, eval_per_task: 8, retrieval: 8}
          embed: {augment: {count: 2}}
          student: {arch: cnn-tiny, epochs: 1, batch_size: 4, teachers: []}
          eval: {tasks: [colour]}
        parameters:
          student.lr: {values: [0.002]}
        """;

    private static byte[] Weights(TempDir dir, StageRow student) => File.ReadAllBytes(Path.Combine(dir.Workspace.ArtifactDir(student.Hash), "model.bin"));

    /// <summary>Every metric point of the stage as "name step value", throughput left out (it is a timing).</summary>
    private static List<string> Points(ResultsStore store, StageRow stage)
    {
        using var db = store.NewContext();
        return db.Metrics.Where(m => m.StageHash == stage.Hash && !m.Name.EndsWith("samples_per_s")).ToList()
            .OrderBy(m => m.Name, StringComparer.Ordinal).ThenBy(m => m.Step).Select(m => $"{m.Name} {m.Step} {m.Value:R}").ToList();
    }

    [Fact]
    public void StudentKilledAfterACheckpoint_ResumesToTheSameWeightsAsAnUninterruptedRun()
    {
        using var straight = new TempDir();
        var straightRun = Ablate.Run(straight.Path, "run", straight.Write("resume.yaml", Spec), "--workers", "1", "--threads", "1");
        Assert.True(straightRun.ExitCode == 0, straightRun.All);
        var straightStore = straight.Store();
        var straightStudent = straightStore.StagesOf(straightStore.FindExperiment("resume")!.Id).Single(s => s.Type == "student");
        var expected = Weights(straight, straightStudent);
        var expectedPoints = Points(straightStore, straightStudent);
        Assert.Equal(30, expectedPoints.Count(p => p.StartsWith("loss ", StringComparison.Ordinal))); // 300 steps logged every 10

        using var dir = new TempDir();
        Assert.Equal(0, Ablate.Run(dir.Path, "submit", dir.Write("resume.yaml", Spec)).ExitCode);
        var store = dir.Store();
        var expId = store.FindExperiment("resume")!.Id;
        StageRow Student() => store.StagesOf(expId).Single(s => s.Type == "student");
        var checkpoint = Path.Combine(dir.Workspace.ScratchDir, Student().Hash, "trainer.json");

        var runner = Ablate.Start(dir.Path, "runner", "--threads", "1", "--stale-after", "3", "--heartbeat", "0.5");
        Ablate.WaitUntil(() => File.Exists(checkpoint) || Student().Status == StageStatus.Succeeded, Patience, "the student's first checkpoint");
        runner.Kill(entireProcessTree: true); // kill -9 in the middle of training
        runner.WaitForExit();
        Assert.Equal(StageStatus.Running, Student().Status); // killed mid-stage, not after it

        var second = Ablate.Start(dir.Path, "runner", "--threads", "1", "--stale-after", "3", "--heartbeat", "0.5");
        try
        {
            Ablate.WaitUntil(() => Student().Status == StageStatus.Succeeded, Patience, "the student to finish on the second runner");
        }
        finally
        {
            Ablate.StopRunners(second);
        }
        Assert.Equal(2, Student().Attempts);
        Assert.Matches(@"resumed training at step (100|200)/300", File.ReadAllText(Path.Combine(dir.Workspace.LogsDir, Student().Hash + ".log")));
        Assert.Equal(expected, Weights(dir, Student()));
        Assert.Equal(expectedPoints, Points(store, Student()));
    }
}
