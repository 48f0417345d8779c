using System.Collections.Concurrent;

namespace Ablations.Runner.Hosting;

/// <summary>
/// The places a stage's program or training runs: <see cref="RunnerSettings.WorkersPerDevice"/> per device. A runner
/// has <see cref="RunnerSettings.Prefetch"/> more queue workers than slots, so while every slot is busy one job is
/// already fetched and waits here; when a stage's work ends its slot goes at once to the waiting job, and the ended
/// stage's bookkeeping (manifest, publish, store, next jobs) and the queue's own state changes and fetch run beside
/// the next stage instead of before it (bench/RESULTS.md, "Issue 11, 2026-12-04"). While it waits, the stage is held in the store
/// (<see cref="Ablations.Core.Store.ResultsStore.Hold"/>), so a sweep re-queues it should this runner die.
/// </summary>
public sealed class DeviceSlots
{
    private readonly SemaphoreSlim _free;
    private readonly ConcurrentQueue<string> _devices;

    public DeviceSlots(RunnerSettings settings)
    {
        var devices = settings.Devices.SelectMany(d => Enumerable.Repeat(d, Math.Max(1, settings.WorkersPerDevice))).ToList();
        _devices = new ConcurrentQueue<string>(devices);
        _free = new SemaphoreSlim(devices.Count, devices.Count);
        Count = devices.Count;
    }

    public int Count { get; }

    /// <summary>A slot within <paramref name="wait"/>, or null when they all stayed busy.</summary>
    public Lease? TryAcquire(TimeSpan wait, CancellationToken cancel)
    {
        if (!_free.Wait(wait, cancel)) return null;
        if (!_devices.TryDequeue(out var device)) throw new InvalidOperationException("a free slot without a device");
        return new Lease(this, device);
    }

    /// <summary>Blocks until some slot is free without taking it: a worker that gave its job back waits here before fetching again.</summary>
    public void WaitUntilOneIsFree(CancellationToken cancel)
    {
        _free.Wait(cancel);
        _free.Release();
    }

    /// <summary>One slot, given back once: after the stage's work, or by whatever path the stage ends.</summary>
    public sealed class Lease(DeviceSlots slots, string device) : IDisposable
    {
        private int _released;

        public string Device { get; } = device;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 1) return;
            slots._devices.Enqueue(Device);
            slots._free.Release();
        }
    }
}
