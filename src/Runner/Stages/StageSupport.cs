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
            throw new StageFailedException(FailureKind.InvalidConfig, e.Message, e);
        }
    }

    /// <summary>Seeds every torch generator the run may touch (manual_seed alone seeds only the CPU one).</summary>
    public static void Seed(long seed)
    {
        torch.manual_seed(seed);
        if (torch.cuda.is_available()) torch.cuda.manual_seed_all(seed);
    }

    public static void Invalid(string message) => throw new StageFailedException(FailureKind.InvalidConfig, message);
}
