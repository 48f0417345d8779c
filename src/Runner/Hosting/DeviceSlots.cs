namespace Ablations.Runner.Hosting;

/// <summary>
/// The places a stage's program or training runs: <see cref="RunnerSettings.WorkersPerDevice"/> per device, and a stage
/// that needs several devices (resources.TYPE.devices) takes one place on each of that many distinct devices. A runner
/// has <see cref="RunnerSettings.Prefetch"/> more queue workers than slots, so while every slot is busy one job is
/// already fetched and waits here; when a stage's work ends its slot goes at once to the waiting job, and the ended
/// stage's bookkeeping (manifest, publish, store, next jobs) and the queue's own state changes and fetch run beside
/// the next stage instead of before it (bench/RESULTS.md, "Issue 11, 2026-12-04"). While it waits, the stage is held in the store
/// (<see cref="Ablations.Core.Store.ResultsStore.Hold"/>), so a sweep re-queues it should this runner die.
/// </summary>
public sealed class DeviceSlots
{
    private readonly object _gate = new();
    /// <summary>Free places per device, in the order the runner was given its devices (`--devices cpu,cpu` is two devices).</summary>
    private readonly List<(string Device, int Free)> _free;

    public DeviceSlots(RunnerSettings settings)
    {
        _free = settings.Devices.Select(d => (d, Math.Max(1, settings.WorkersPerDevice))).ToList();
        Count = _free.Sum(f => f.Free);
    }

    /// <summary>Places in all (devices × workers per device): stages of one device each that run at once.</summary>
    public int Count { get; }

    /// <summary>A slot of one device within <paramref name="wait"/>, or null when they all stayed busy.</summary>
    public Lease? TryAcquire(TimeSpan wait, CancellationToken cancel) => TryAcquire(1, wait, cancel);

    /// <summary>
    /// Places on <paramref name="devices"/> distinct devices within <paramref name="wait"/>, or null when not that many
    /// were free at once (never, when the runner has fewer devices: placement keeps such stages away). The devices with
    /// the most free places are taken first, so one-device stages spread over the devices.
    /// </summary>
    public Lease? TryAcquire(int devices, TimeSpan wait, CancellationToken cancel)
    {
        if (devices > _free.Count) return null;
        var until = DateTime.UtcNow + wait;
        using var wake = cancel.Register(() => { lock (_gate) Monitor.PulseAll(_gate); });
        lock (_gate)
        {
            while (true)
            {
                cancel.ThrowIfCancellationRequested();
                var chosen = Enumerable.Range(0, _free.Count).Where(i => _free[i].Free > 0)
                    .OrderByDescending(i => _free[i].Free).ThenBy(i => i).Take(devices).ToList();
                if (chosen.Count == devices)
                {
                    foreach (var i in chosen) _free[i] = (_free[i].Device, _free[i].Free - 1);
                    var places = chosen.Order().ToList();
                    return new Lease(this, places, places.Select(i => _free[i].Device).ToList());
                }
                var left = until - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) return null;
                Monitor.Wait(_gate, left);
            }
        }
    }

    /// <summary>Blocks until some slot is free without taking it: a worker that gave its job back waits here before fetching again.</summary>
    public void WaitUntilOneIsFree(CancellationToken cancel)
    {
        using var wake = cancel.Register(() => { lock (_gate) Monitor.PulseAll(_gate); });
        lock (_gate)
            while (!_free.Any(f => f.Free > 0))
            {
                cancel.ThrowIfCancellationRequested();
                Monitor.Wait(_gate);
            }
    }

    private void Release(IReadOnlyList<int> places)
    {
        lock (_gate)
        {
            foreach (var i in places) _free[i] = (_free[i].Device, _free[i].Free + 1);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Places on one or more devices, given back once: after the stage's work, or by whatever path the stage ends.</summary>
    public sealed class Lease(DeviceSlots slots, IReadOnlyList<int> places, IReadOnlyList<string> devices) : IDisposable
    {
        private int _released;

        /// <summary>The stage's devices, in the runner's order; <see cref="Device"/> is the first.</summary>
        public IReadOnlyList<string> Devices { get; } = devices;

        public string Device => Devices[0];

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1) return;
            slots.Release(places);
        }
    }
}
