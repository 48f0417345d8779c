using Ablations.Runner.Modeling;
using Ablations.Runner.Training;
using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Ablations.Bench;

/// <summary>
/// The TorchSharp half of bench/torch-vs-pytorch.sh: training steps of the cnn-tiny image tower (the runner's own
/// <see cref="CnnEncoder"/>, widths 16/32/32 → 64-d) on a batch of 128 32×32 images against 128 fixed 64-d teacher
/// embeddings — contrastive cross-entropy of the normalised student · teacher logits at temperature 0.07 — with the
/// runner's <see cref="AdamW"/>. bench/torch_peer.py builds the same network, loss and optimiser in PyTorch.
/// Usage: torch-peer [--threads T] [--steps N] [--warmup W]; prints "ms/step X" (the median of N timed steps) and, in brackets, the median of the optimiser step alone.
/// </summary>
internal static class TorchPeerBenchmark
{
    public static int Run(string[] args)
    {
        int Option(string name, int fallback) =>
            Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        var (threads, steps, warmup) = (Option("--threads", 1), Option("--steps", 30), Option("--warmup", 5));
        torch.set_num_threads(threads);
        torch.manual_seed(0);
        var model = new CnnEncoder([16, 32, 32], 64);
        var images = randn(128, 3, 32, 32);
        var teacher = nn.functional.normalize(randn(128, 64), dim: 1);
        var labels = arange(128, dtype: int64);
        var optimizer = new AdamW([(model.parameters(), 0.1)]);
        var times = new List<double>();
        var stepTimes = new List<double>();
        for (var step = 0; step < warmup + steps; step++)
        {
            var t0 = Stopwatch.GetTimestamp();
            using (var scope = NewDisposeScope())
            {
                optimizer.ZeroGrad();
                var student = nn.functional.normalize(model.forward(images), dim: 1);
                var loss = nn.functional.cross_entropy(student.matmul(teacher.t()) / 0.07, labels);
                loss.backward();
                var t1 = Stopwatch.GetTimestamp();
                optimizer.Step();
                if (step >= warmup) stepTimes.Add(Stopwatch.GetElapsedTime(t1).TotalMilliseconds);
            }
            if (step >= warmup) times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        times.Sort();
        stepTimes.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"torchsharp threads {threads} steps {steps} ms/step {times[times.Count / 2]:F2} (optimiser {stepTimes[stepTimes.Count / 2]:F2})"));
        return 0;
    }
}
