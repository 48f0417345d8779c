using Ablations.Runner.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace Ablations.Runner.Tests.Modeling;

/// <summary>
/// A runner's workers share torch's global generators: a seeded model must come out the same while another worker
/// loads a model from a file (its modules are initialised before the weights are read). Seen as a teacher whose
/// numbers differed from a clean workspace's after a run resumed with two stages starting at once.
/// </summary>
public sealed class ModelBuildTests
{
    private static readonly ModelSpec Spec = new("cnn-tiny", 32, 40, 8, 2);

    public ModelBuildTests() => torch.set_num_threads(1);

    [Fact]
    public void SeededBuild_WhileAnotherWorkerLoadsModels_GivesTheSameWeights()
    {
        var dir = Directory.CreateTempSubdirectory("ablate-model-").FullName;
        try
        {
            using (var saved = TorchRuntime.Build(7, () => new ClipModel(Spec))) ModelFiles.SaveClip(dir, saved, "char");
            var quiet = Weights(1);
            using var stop = new CancellationTokenSource();
            var loads = 0;
            var loader = Task.Run(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    ModelFiles.LoadClip(dir, CPU).Dispose();
                    Interlocked.Increment(ref loads);
                }
            });
            try
            {
                SpinWait.SpinUntil(() => Volatile.Read(ref loads) > 0 || loader.IsCompleted);
                for (var i = 0; i < 20; i++) Assert.Equal(quiet, Weights(1));
            }
            finally
            {
                stop.Cancel();
                loader.Wait();
            }
            Assert.True(loads > 1, $"the loader ran {loads} time(s): the builds did not overlap with it");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static float[] Weights(long seed)
    {
        using var model = TorchRuntime.Build(seed, () => new ClipModel(Spec));
        using var _ = NewDisposeScope();
        return cat(model.parameters().Select(p => p.detach().flatten()).ToList()).data<float>().ToArray();
    }
}
