using Ablations.Runner.Stages;

namespace Ablations.Runner.Tests.Stages;

/// <summary>
/// What a command stage's program is told about the devices its runner gave it. The CPU case runs end to end in
/// PlacementTests (a real runner, a real program); CUDA devices cannot be given here, so their mapping is checked here.
/// </summary>
public sealed class DeviceVariablesTests
{
    [Fact]
    public void CudaDevices_AreNamedAndMadeTheOnlyVisibleOnes_InTheOrderGiven()
    {
        var vars = CommandStage.DeviceVariables(["cuda:3", "cuda:1"]).ToDictionary(v => v.Name, v => v.Value);
        Assert.Equal("cuda:3,cuda:1", vars["ABLATIONS_DEVICES"]);
        Assert.Equal("3,1", vars["CUDA_VISIBLE_DEVICES"]); // the program's cuda:0 is the first device it was given
    }

    [Fact]
    public void CpuDevices_LeaveCudaVisibleDevicesAsTheRunnerHasIt()
    {
        var vars = CommandStage.DeviceVariables(["cpu", "cpu"]).ToDictionary(v => v.Name, v => v.Value);
        Assert.Equal("cpu,cpu", vars["ABLATIONS_DEVICES"]);
        Assert.False(vars.ContainsKey("CUDA_VISIBLE_DEVICES"));
    }
}
