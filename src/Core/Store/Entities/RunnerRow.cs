namespace Ablations.Core.Store.Entities;

/// <summary>
/// A runner process as it registers itself and keeps itself current (its heartbeat): what an operator sees with
/// `ablate runners` and on the web UI's runners page, and what placement reads (the queues, devices and memory of the
/// live runners). Its stages are those whose <see cref="StageRow.Worker"/> starts with <see cref="Id"/> and a colon.
/// </summary>
public sealed class RunnerRow
{
    /// <summary>host:pid:nonce, the prefix of every stage claim it makes (unique even when a pid is reused).</summary>
    public required string Id { get; set; }
    /// <summary>What an operator types (`--drain NAME`): `--name`, else host:pid.</summary>
    public required string Name { get; set; }
    public required string Host { get; set; }
    public int Pid { get; set; }
    /// <summary>Comma-separated devices, e.g. "cuda:0,cuda:1" or "cpu".</summary>
    public required string Devices { get; set; }
    public int WorkersPerDevice { get; set; }
    /// <summary>Comma-separated queues it takes jobs from.</summary>
    public required string Queues { get; set; }
    /// <summary>GiB a stage may use on one of its devices (`--memory`); null: not declared, any stage's need is taken to fit.</summary>
    public double? MemoryGb { get; set; }
    /// <summary>The build's version (informational), so an operator sees a node left behind by an upgrade.</summary>
    public required string Version { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime HeartbeatAt { get; set; }
    /// <summary>Seconds without a heartbeat after which other runners take this one as lost (its own --stale-after).</summary>
    public double StaleAfterSeconds { get; set; }
    public RunnerState State { get; set; }
    /// <summary>Set by `ablate runner --drain NAME` from anywhere; the runner sees it with its next heartbeat and drains.</summary>
    public bool DrainRequested { get; set; }
    public DateTime? StoppedAt { get; set; }
}
