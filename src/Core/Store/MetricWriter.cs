using Ablations.Core.Execution;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Core.Store;

/// <summary>
/// Buffers a stage's metric points and writes them in batches: one transaction and one prepared INSERT per
/// flush, which is what keeps ingestion far above the points a training loop produces. Thread-safe: the
/// training thread logs while a timer flushes.
/// </summary>
public sealed class MetricWriter(ResultsStore store, string stageHash, int batchSize = 2048) : IMetricSink, IDisposable
{
    private readonly object _gate = new();
    private List<(string Name, long Step, double Value, DateTime Time)> _buffer = [];

    public void Log(string name, long step, double value) => Add(name, step, value);

    public void Final(string name, double value) => Add(name, -1, value);

    private void Add(string name, long step, double value)
    {
        if (!double.IsFinite(value)) return; // SQLite has no NaN; a diverged stage fails with its reason instead
        bool full;
        lock (_gate)
        {
            _buffer.Add((name, step, value, DateTime.UtcNow));
            full = _buffer.Count >= batchSize;
        }
        if (full) Flush();
    }

    public void Flush()
    {
        List<(string Name, long Step, double Value, DateTime Time)> batch;
        lock (_gate)
        {
            if (_buffer.Count == 0) return;
            batch = _buffer;
            _buffer = [];
        }
        Write(store, stageHash, batch);
    }

    /// <summary>Writes points for a stage in one transaction with one prepared statement.</summary>
    public static void Write(ResultsStore store, string stageHash, IReadOnlyList<(string Name, long Step, double Value, DateTime Time)> points) =>
        ResultsStore.Guard(store.Location, () =>
        {
            using var db = store.NewContext();
            var connection = db.Database.GetDbConnection();
            connection.Open();
            using var tx = connection.BeginTransaction();
            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO metrics (\"StageHash\", \"Name\", \"Step\", \"Value\", \"Time\") VALUES (@h, @n, @s, @v, @t)";
            var h = Param(cmd, "@h", stageHash);
            var n = Param(cmd, "@n", "");
            var s = Param(cmd, "@s", 0L);
            var v = Param(cmd, "@v", 0.0);
            var t = Param(cmd, "@t", DateTime.UtcNow);
            cmd.Prepare();
            foreach (var p in points)
            {
                n.Value = p.Name;
                s.Value = p.Step;
                v.Value = p.Value;
                t.Value = p.Time;
                cmd.ExecuteNonQuery();
            }
            tx.Commit();
        });

    private static DbParameter Param(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
        return p;
    }

    public void Dispose() => Flush();
}
