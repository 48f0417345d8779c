namespace Ablations.Runner.Hosting;

/// <summary>How a runner process behaves; defaults suit the embedded single-runner setup.</summary>
public sealed record RunnerSettings
{
    /// <summary>What operators call it (`ablate runners`, `--drain NAME`); null: host:pid.</summary>
    public string? Name { get; init; }
    public IReadOnlyList<string> Queues { get; init; } = ["default"];
    /// <summary>GiB a stage may use on each device (`--memory`), for placement; null: not declared.</summary>
    public double? MemoryGb { get; init; }
    /// <summary>Devices the workers run on, <see cref="WorkersPerDevice"/> each: ["cpu"] or ["cuda:0", "cuda:1"].</summary>
    public IReadOnlyList<string> Devices { get; init; } = ["cpu"];
    /// <summary>
    /// Stages run at once on each device. On CPU, small models use extra torch threads poorly, so two stages
    /// with half the cores each finish a grid sooner than one stage with all of them (see bench/RESULTS.md).
    /// </summary>
    public int WorkersPerDevice { get; init; } = 1;
    /// <summary>
    /// Queue workers beyond the slots (<see cref="DeviceSlots"/>): jobs fetched ahead, so a slot that frees starts the
    /// next stage at once. 0 fetches only when a slot is free.
    /// </summary>
    public int Prefetch { get; init; } = 1;
    /// <summary>
    /// How long a fetched-ahead job waits for a slot before it goes back on its queue, so long stages here do not hold
    /// work another runner could start.
    /// </summary>
    public TimeSpan PrefetchHold { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Torch threads per process (process-global in libtorch); 0 leaves libtorch's default.</summary>
    public int Threads { get; init; }
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>A Running stage without a heartbeat for this long is taken to be abandoned and re-queued.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(30);
}
