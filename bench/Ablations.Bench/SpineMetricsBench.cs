using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Microsoft.EntityFrameworkCore;
using System.Diagnostics;
using static Ablations.Bench.SpineBenchSupport;

namespace Ablations.Bench;

/// <summary>
/// Metric ingestion into the SQLite results store: points per second through MetricWriter (batched, one
/// transaction and one prepared INSERT per flush) side by side with EF Core inserts — AddRange + one SaveChanges
/// per batch, and the naive one point per context and SaveChanges. Target: ≥ 50,000 points/s batched.
/// Every variant's rows are counted back from the store.
/// </summary>
internal static class SpineMetricsBench
{
    public const double TargetPointsPerSecond = 50_000;
    private static readonly string[] Names = ["loss", "acc", "lr", "grad_norm"];

    public static int Run(string[] args)
    {
        var batched = args.Length > 0 ? int.Parse(args[0]) : 200_000;
        var naive = args.Length > 1 ? int.Parse(args[1]) : 2_000;
        Line($"## metric ingestion: {batched:N0} points batched vs {naive:N0} points naive, SQLite (WAL) results store");
        using var temp = new TempWorkspace("metrics");
        var store = ResultsStore.Open(temp.Workspace.Store);
        var writer = Measure(store, "MetricWriter, batch 2048 (default)", batched, (hash, n) => WithWriter(store, hash, n, 2048));
        Measure(store, "MetricWriter, batch 256", batched / 4, (hash, n) => WithWriter(store, hash, n, 256));
        Measure(store, "MetricWriter.Write alone, batches of 2048", batched, (hash, n) => WriteOnly(store, hash, n, 2048));
        Measure(store, "EF AddRange + SaveChanges per 2048", batched / 10, (hash, n) => EfBatches(store, hash, n, 2048));
        var perRow = Measure(store, "EF naive: new context + SaveChanges per point", naive, (hash, n) => EfPerPoint(store, hash, n));
        Line($"result: MetricWriter {writer:N0} points/s = {F(writer / TargetPointsPerSecond, "F2")} × the 50,000/s target; {F(writer / perRow, "F0")} × the naive EF insert ({perRow:N0} points/s)");
        return writer >= TargetPointsPerSecond ? 0 : 1;
    }

    private static double Measure(ResultsStore store, string label, int count, Action<string, int> insert)
    {
        var hash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var t0 = Stopwatch.GetTimestamp();
        insert(hash, count);
        var seconds = Seconds(t0, Stopwatch.GetTimestamp());
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        using var db = store.NewContext();
        var stored = db.Metrics.Count(m => m.StageHash == hash);
        var rate = count / seconds;
        Line($"  {label,-48} {count,9:N0} points in {F(seconds),7} s = {rate,10:N0} points/s; CPU {F(cpu)} s = {count / cpu,10:N0} points per CPU-second  (rows stored: {stored:N0}{(stored == count ? "" : " — MISMATCH")})");
        return rate;
    }

    private static void WithWriter(ResultsStore store, string hash, int count, int batchSize)
    {
        using var writer = new MetricWriter(store, hash, batchSize);
        for (var i = 0; i < count; i++) writer.Log(Names[i % Names.Length], i / Names.Length, i * 0.001);
    }

    /// <summary>
    /// The same points through <see cref="MetricWriter.Write"/> (one transaction, prepared 64-row INSERTs) without
    /// the writer's buffer: the difference to the rows above is what buffering costs.
    /// </summary>
    private static void WriteOnly(ResultsStore store, string hash, int count, int batchSize)
    {
        var points = new List<(string Name, long Step, double Value, DateTime Time)>(batchSize);
        for (var i = 0; i < count; i++)
        {
            points.Add((Names[i % Names.Length], i / Names.Length, i * 0.001, DateTime.UtcNow));
            if (points.Count == batchSize || i == count - 1)
            {
                MetricWriter.Write(store, hash, points);
                points.Clear();
            }
        }
    }

    private static void EfBatches(ResultsStore store, string hash, int count, int batchSize)
    {
        for (var start = 0; start < count; start += batchSize)
        {
            using var db = store.NewContext();
            db.Metrics.AddRange(Enumerable.Range(start, Math.Min(batchSize, count - start)).Select(i => Row(hash, i)));
            db.SaveChanges();
        }
    }

    private static void EfPerPoint(ResultsStore store, string hash, int count)
    {
        for (var i = 0; i < count; i++)
        {
            using var db = store.NewContext();
            db.Metrics.Add(Row(hash, i));
            db.SaveChanges();
        }
    }

    private static MetricRow Row(string hash, int i) => new()
    {
        StageHash = hash, Name = Names[i % Names.Length], Step = i / Names.Length, Value = i * 0.001, Time = DateTime.UtcNow,
    };
}
