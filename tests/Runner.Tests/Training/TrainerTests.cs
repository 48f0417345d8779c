using Ablations.Core.Execution;
using Ablations.Core.Stages;
using Ablations.Runner.Data;
using Ablations.Runner.Tests.Support;
using Ablations.Runner.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Ablations.Runner.Tests.Training;

public sealed class TrainerTests
{
    private static readonly ScheduleOptions Schedule = new(1, 8, 0.05, 0.1, 0.2, 1.0);

    public TrainerTests() => torch.set_num_threads(1);

    /// <summary>Regression on inputs drawn from (seed, step); can crash at a chosen step or return NaN.</summary>
    private sealed class ToyTask : ITrainingTask
    {
        private readonly nn.Module<Tensor, Tensor> _net;

        /// <summary>
        /// Weights drawn from our own (seed, parameter) streams, not torch's global generator: test classes run in
        /// parallel, and another one seeding or building a model at the same moment would make two equal seeds differ.
        /// </summary>
        public ToyTask(long initSeed)
        {
            // Built under the runtime's generator lock all the same: the initialiser's draws from the global generator
            // must not land between another test's seed and its build.
            _net = Ablations.Runner.Modeling.TorchRuntime.Build<nn.Module<Tensor, Tensor>>(null, () => nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1)));
            using var noGrad = torch.no_grad();
            var index = 0;
            foreach (var p in _net.parameters())
            {
                var rng = Rng.For(initSeed, index++);
                p.copy_(tensor(Enumerable.Range(0, (int)p.numel()).Select(_ => (float)(0.5 * rng.Normal())).ToArray()).reshape(p.shape));
            }
        }

        public int? CrashAt { get; init; }
        /// <summary>Called before each step: a test cancels the run from here (Ctrl-C in the middle of a metric window).</summary>
        public Action<long>? BeforeStep { get; init; }
        public bool Nan { get; init; }
        public List<long> LiveAtStep { get; } = [];
        public nn.Module Model => _net;
        public int BatchSize => 8;

        public (Tensor Loss, IReadOnlyDictionary<string, Tensor> Extras) Step(long step)
        {
            LiveAtStep.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            BeforeStep?.Invoke(step);
            if (step == CrashAt) throw new IOException("simulated kill");
            var rng = Rng.For(99, step);
            var x = tensor(Enumerable.Range(0, 32).Select(_ => (float)rng.Normal()).ToArray(), [8, 4]);
            var y = x.sum(1, keepdim: true).sin();
            var loss = (_net.forward(x) - y).pow(2).mean();
            return (Nan ? loss * float.NaN : loss, new Dictionary<string, Tensor>());
        }

        public float[] Weights() => _net.parameters().SelectMany(p => p.data<float>().ToArray()).ToArray();
    }

    [Fact]
    public void Run_KilledThenResumed_EqualsUninterruptedRun()
    {
        using var h = new StageHarness();
        var scratch = Path.Combine(h.Root, "scratch");
        var sink = new RecordingSink();
        var straight = new ToyTask(1);
        Trainer.Run(straight, new TrainerOptions(Schedule, 40, null), sink, (_, _) => { }, TextWriter.Null, default);

        var killed = new ToyTask(1) { CrashAt = 27 };
        Assert.Throws<IOException>(() =>
            Trainer.Run(killed, new TrainerOptions(Schedule, 40, scratch, CheckpointEvery: 10), sink, (_, _) => { }, TextWriter.Null, default));
        var resumed = new ToyTask(2); // different init: everything must come from the checkpoint
        var log = new StringWriter();
        Trainer.Run(resumed, new TrainerOptions(Schedule, 40, scratch, CheckpointEvery: 10), sink, (_, _) => { }, log, default);

        Assert.Contains("resumed training at step 20/40", log.ToString());
        Assert.Equal(20, resumed.LiveAtStep.Count);
        // Bit for bit: weights, optimiser state and step come from the checkpoint, batches from (seed, step), and
        // MKL runs in its reproducible mode (TorchRuntime), without which even two straight runs differ in the last bits.
        Assert.Equal(straight.Weights(), resumed.Weights());
    }

    [Fact]
    public void Run_CancelledMidWindowThenResumed_SamePointsAndFinalLossAsUninterrupted()
    {
        using var h = new StageHarness();
        var scratch = Path.Combine(h.Root, "scratch");
        var straightSink = new RecordingSink();
        var straightLoss = Trainer.Run(new ToyTask(1), new TrainerOptions(Schedule, 40, null, LogEvery: 10), straightSink, (_, _) => { }, TextWriter.Null, default);

        using var cts = new CancellationTokenSource();
        var sink = new RecordingSink();
        var e = Assert.Throws<StageFailedException>(() => Trainer.Run(new ToyTask(1) { BeforeStep = s => { if (s == 13) cts.Cancel(); } },
            new TrainerOptions(Schedule, 40, scratch, CheckpointEvery: 100, LogEvery: 10), sink, (_, _) => { }, TextWriter.Null, cts.Token));
        Assert.Equal(FailureKind.Cancelled, e.Kind); // checkpointed at step 14, four steps into the second window
        Assert.True(sink.Flushes > 0, "the points before the checkpoint are stored before it is written");
        var loss = Trainer.Run(new ToyTask(2), new TrainerOptions(Schedule, 40, scratch, CheckpointEvery: 100, LogEvery: 10), sink, (_, _) => { }, TextWriter.Null, default);

        static List<(string, long, double)> Curve(RecordingSink s) => s.Points.Where(p => p.Name is "loss" or "lr").OrderBy(p => p.Name).ThenBy(p => p.Step).ToList();
        Assert.Equal(Curve(straightSink), Curve(sink));
        Assert.Equal(straightLoss, loss);

        var again = Trainer.Run(new ToyTask(3), new TrainerOptions(Schedule, 40, scratch, CheckpointEvery: 100, LogEvery: 10), new RecordingSink(), (_, _) => { }, TextWriter.Null, default);
        Assert.Equal(straightLoss, again); // resumed from the last checkpoint: nothing left to train, the same final loss
    }

    [Fact]
    public void Run_ManySteps_LeaksNoTensors()
    {
        var task = new ToyTask(3);
        Trainer.Run(task, new TrainerOptions(Schedule, 30, null), new RecordingSink(), (_, _) => { }, TextWriter.Null, default);
        Assert.Equal(task.LiveAtStep[5], task.LiveAtStep[29]);
    }

    [Fact]
    public void Run_NanLoss_FailsAsDiverged()
    {
        var e = Assert.Throws<StageFailedException>(() =>
            Trainer.Run(new ToyTask(4) { Nan = true }, new TrainerOptions(Schedule, 5, null), new RecordingSink(), (_, _) => { }, TextWriter.Null, default));
        Assert.Equal(FailureKind.Diverged, e.Kind);
    }

    [Fact]
    public void Run_Cancelled_FailsAsCancelled_AndLogsBatchedMetrics()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var e = Assert.Throws<StageFailedException>(() =>
            Trainer.Run(new ToyTask(5), new TrainerOptions(Schedule, 5, null), new RecordingSink(), (_, _) => { }, TextWriter.Null, cts.Token));
        Assert.Equal(FailureKind.Cancelled, e.Kind);

        var sink = new RecordingSink();
        Trainer.Run(new ToyTask(5), new TrainerOptions(Schedule, 20, null, LogEvery: 10), sink, (_, _) => { }, TextWriter.Null, default);
        Assert.Equal(new long[] { 10, 20 }, sink.Points.Where(p => p.Name == "loss").Select(p => p.Step));
        Assert.Contains(sink.Points, p => p.Name == "lr");
        Assert.Contains(sink.Points, p => p.Name == "samples_per_s");
    }

    [Fact]
    public void LearningRate_WarmsUpThenDecaysToZero()
    {
        Assert.Equal(0.1, LearningRateSchedule.At(0, 100, 10, 1.0), 6);
        Assert.Equal(1.0, LearningRateSchedule.At(9, 100, 10, 1.0), 6);
        Assert.True(LearningRateSchedule.At(50, 100, 10, 1.0) < 1.0);
        Assert.Equal(0.0, LearningRateSchedule.At(100, 100, 10, 1.0), 6);
    }
}
