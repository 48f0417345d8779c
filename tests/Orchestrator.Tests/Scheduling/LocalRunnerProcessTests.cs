using Ablations.Orchestrator.Scheduling;

namespace Ablations.Orchestrator.Tests.Scheduling;

/// <summary>
/// The local runner keeps its precompiled code (DOTNET_TieredCompilation=0) only when ablate was published ReadyToRun;
/// a plain build, as the tests and `dotnet run` use, would then compile everything fully optimised at start.
/// </summary>
public sealed class LocalRunnerProcessTests
{
    [Fact]
    public void HasNativeCode_TellsAReadyToRunAssemblyFromAPlainOne()
    {
        Assert.True(LocalRunnerProcess.HasNativeCode(typeof(object).Assembly.Location)); // the shared framework ships ReadyToRun
        Assert.False(LocalRunnerProcess.HasNativeCode(typeof(LocalRunnerProcessTests).Assembly.Location));
        Assert.False(LocalRunnerProcess.HasNativeCode(Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.dll")));
    }

    [Fact]
    public void IsPrecompiled_PlainBuild_LeavesTheRuntimeDefault() => Assert.False(LocalRunnerProcess.IsPrecompiled);
}
