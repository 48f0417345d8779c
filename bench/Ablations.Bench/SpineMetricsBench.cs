using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Microsoft.EntityFrameworkCore;
using System.Data.Common;
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
        Measure(store, "candidate: 64-row INSERT statements, batch 2048", batched, (hash, n) => MultiRow(store, hash, n, 2048, 64));
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
    /// A candidate for MetricWriter.Write: the same transaction per batch, but each prepared INSERT carries
    /// <paramref name="rowsPerStatement"/> rows, so the per-statement cost is paid once per that many points.
    /// </summary>
    private static void MultiRow(ResultsStore store, string hash, int count, int batchSize, int rowsPerStatement)
    {
        var points = new List<(string Name, long Step, double Value, DateTime Time)>(batchSize);
        for (var i = 0; i < count; i++)
        {
            points.Add((Names[i % Names.Length], i / Names.Length, i * 0.001, DateTime.UtcNow));
            if (points.Count == batchSize || i == count - 1)
            {
                WriteMultiRow(store, hash, points, rowsPerStatement);
                points.Clear();
            }
        }
    }

    private static void WriteMultiRow(ResultsStore store, string hash, List<(string Name, long Step, double Value, DateTime Time)> points, int rowsPerStatement)
    {
        using var db = store.NewContext();
        var connection = db.Database.GetDbConnection();
        connection.Open();
        using var tx = connection.BeginTransaction();
        var full = points.Count / rowsPerStatement * rowsPerStatement;
        if (full > 0) Insert(connection, tx, hash, points, 0, full, rowsPerStatement);
        if (full < points.Count) Insert(connection, tx, hash, points, full, points.Count, 1);
        tx.Commit();
    }

    private static void Insert(DbConnection connection, DbTransaction tx, string hash, List<(string Name, long Step, double Value, DateTime Time)> points, int from, int to, int rows)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        var values = Enumerable.Range(0, rows).Select(r => $"(@h, @n{r}, @s{r}, @v{r}, @t{r})");
        cmd.CommandText = "INSERT INTO metrics (\"StageHash\", \"Name\", \"Step\", \"Value\", \"Time\") VALUES " + string.Join(", ", values);
        Param(cmd, "@h", hash);
        var parameters = Enumerable.Range(0, rows).Select(r => (N: Param(cmd, $"@n{r}", ""), S: Param(cmd, $"@s{r}", 0L), V: Param(cmd, $"@v{r}", 0.0), T: Param(cmd, $"@t{r}", DateTime.UtcNow))).ToArray();
        cmd.Prepare();
        for (var start = from; start < to; start += rows)
        {
            for (var r = 0; r < rows; r++)
            {
                var p = points[start + r];
                parameters[r].N.Value = p.Name;
                parameters[r].S.Value = p.Step;
                parameters[r].V.Value = p.Value;
                parameters[r].T.Value = p.Time;
            }
            cmd.ExecuteNonQuery();
        }
    }

    private static DbParameter Param(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
        return p;
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
