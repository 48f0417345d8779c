using Ablations.Core.Store.Entities;

namespace Ablations.Core.Scheduling;

/// <summary>What one attempt of a stage needs of the runner that takes it (its spec's <c>resources:</c>).</summary>
public sealed record StageNeeds(string Queue, int Devices, double? MemoryGb)
{
    public string Describe() =>
        $"queue {Queue}, {Devices} device{(Devices == 1 ? "" : "s")}{(MemoryGb is { } m ? $" with {m:0.#} GiB each" : "")}";
}

/// <summary>
/// What a runner offers: the queues it serves, its devices as it was given them (`--devices cpu,cpu` is two devices, as
/// its DeviceSlots count them) and the memory of each (null: not declared).
/// </summary>
public sealed record RunnerOffer(IReadOnlyCollection<string> Queues, IReadOnlyCollection<string> Devices, double? MemoryGb)
{
    public static RunnerOffer Of(RunnerRow runner) =>
        new(Split(runner.Queues).Distinct(StringComparer.Ordinal).ToList(), Split(runner.Devices), runner.MemoryGb);

    private static List<string> Split(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}

/// <summary>
/// The one rule of which runner may take which stage: it serves the stage's queue, has as many distinct devices as the
/// stage needs, and, when the stage states its memory, declares at least that much per device (a runner that declares
/// nothing is taken at its word that the stage fits, as before placement existed). Runners apply it to a job they fetch
/// (a misfit goes back for another runner, or waits for one, see StageExecutionHost); `ablate status` applies it to the
/// live runners to report a stage nobody can take.
/// </summary>
public static class Placement
{
    /// <summary>Why <paramref name="offer"/> cannot take the stage, or null when it can.</summary>
    public static string? Misfit(StageNeeds need, RunnerOffer offer)
    {
        if (!offer.Queues.Contains(need.Queue)) return $"it does not serve queue {need.Queue}";
        if (offer.Devices.Count < need.Devices) return $"it has {offer.Devices.Count} device{(offer.Devices.Count == 1 ? "" : "s")}, the stage needs {need.Devices}";
        if (need.MemoryGb is { } m && offer.MemoryGb is { } has && has < m) return $"it declares {has:0.#} GiB per device, the stage needs {m:0.#}";
        return null;
    }

    /// <summary>
    /// Null when one of <paramref name="live"/> can take the stage; else a sentence for `status` that says what the stage
    /// needs, why each kind of live runner falls short, and what to do.
    /// </summary>
    public static string? NobodyCanTake(StageNeeds need, IReadOnlyList<RunnerRow> live)
    {
        var misfits = live.Select(r => (Runner: r, Offer: RunnerOffer.Of(r))).Select(x => (x.Runner, x.Offer, Why: Misfit(need, x.Offer))).ToList();
        if (misfits.Any(m => m.Why is null)) return null;
        var serving = misfits.Where(m => m.Offer.Queues.Contains(need.Queue)).ToList();
        var why = live.Count == 0 ? "no runner is live"
            : serving.Count == 0 ? $"no live runner serves queue {need.Queue} (they serve {string.Join(", ", misfits.SelectMany(m => m.Offer.Queues).Distinct().Order())})"
            : string.Join("; ", serving.Select(m => $"{m.Runner.Name}: {m.Why}").Distinct());
        return $"no live runner can take it ({why}); it needs {need.Describe()}: start one that can " +
               $"(`ablate runner --queues {need.Queue} --devices …{(need.MemoryGb is { } gb ? $" --memory {gb:0.#}" : "")}`), or change resources: and submit again";
    }
}
