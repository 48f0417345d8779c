namespace Ablations.Runner.Hosting;

/// <summary>How a runner process behaves; defaults suit the embedded single-runner setup.</summary>
public sealed record RunnerSettings
{
    public IReadOnlyList<string> Queues { get; init; } = ["default"];
    /// <summary>Devices the workers run on, <see cref="WorkersPerDevice"/> each: ["cpu"] or ["cuda:0", "cuda:1"].</summary>
    public IReadOnlyList<string> Devices { get; init; } = ["cpu"];
    /// <summary>
    /// Stages run at once on each device. On CPU, small models use extra torch threads poorly, so two stages
    /// with half the cores each finish a grid sooner than one stage with all of them (see bench/RESULTS.md).
    /// </summary>
    public int WorkersPerDevice { get; init; } = 1;
    /// <summary>Torch threads per process (process-global in libtorch); 0 leaves libtorch's default.</summary>
    public int Threads { get; init; }
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>A Running stage without a heartbeat for this long is taken to be abandoned and re-queued.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(30);
}
