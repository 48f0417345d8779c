using System.Text.Json.Nodes;
using Ablations.Core.Execution;
using Ablations.Core.Stages;
using Ablations.Runner.Modeling;
using TorchSharp;

namespace Ablations.Runner.Stages;

/// <summary>What every executor does the same way: bind options, pick the device, seed torch.</summary>
internal static class StageSupport
{
    public static T Bind<T>(StageContext ctx, Func<JsonObject, T> bind)
    {
        try
        {
            return bind(ctx.Config);
        }
        catch (StageConfigException e)
        {
            throw new StageFailedException(FailureKind.InvalidConfig, $"{ctx.StageType} stage config: {e.Message}", e);
        }
    }

    public static torch.Device Device(StageContext ctx)
    {
        try
        {
            return TorchRuntime.ResolveDevice(ctx.Device);
        }
        catch (InvalidOperationException e)
        {
            throw new NodeUnavailableException($"this runner's device {ctx.Device} is not usable: {e.Message}", e);
        }
    }

    private static readonly Lock GlobalGenerator = new();

    /// <summary>
    /// Seeds every torch generator (manual_seed alone seeds only the CPU one) and builds a model from them, under
    /// one process-wide lock: torch's default generators are global, and a runner with several workers would
    /// otherwise interleave two stages' initialisations and make both irreproducible. Training itself draws
    /// from our own (seed, step) streams, never from torch's generators.
    /// </summary>
    public static T Seeded<T>(long seed, Func<T> build)
    {
        lock (GlobalGenerator)
        {
            torch.manual_seed(seed);
            if (torch.cuda.is_available()) torch.cuda.manual_seed_all(seed);
            return build();
        }
    }

    public static void Invalid(string message) => throw new StageFailedException(FailureKind.InvalidConfig, message);
}
