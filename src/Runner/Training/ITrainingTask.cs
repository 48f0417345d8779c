using static TorchSharp.torch;

namespace Ablations.Runner.Training;

/// <summary>
/// What the loop trains: a module and the loss of step <c>step</c>. A task must derive all randomness of a
/// step from (its seed, step) so that a resumed run replays exactly the batches an uninterrupted run would see.
/// </summary>
internal interface ITrainingTask
{
    nn.Module Model { get; }

    /// <summary>Pairs per step (for samples/s).</summary>
    int BatchSize { get; }

    /// <summary>The scalar loss to minimise, plus extra named scalars to log (e.g. loss_clip, loss_kd, logit_scale).</summary>
    (Tensor Loss, IReadOnlyDictionary<string, Tensor> Extras) Step(long step);
}
