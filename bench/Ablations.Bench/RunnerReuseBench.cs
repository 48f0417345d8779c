using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Bench;

/// <summary>
/// Reuse for the quickstart grid, read from a finished run's results store (a copy of it, made with SQLite's
/// online backup so a live WAL file is included and the original is never written): stage-seconds actually
/// spent = Σ DurationSeconds over the experiment's unique stages (<see cref="ResultsStore.StagesOf"/>);
/// stage-seconds without reuse = Σ over its active runs of Σ over the run's stage links of that stage's
/// duration, as if every run computed its own world, teachers, captions and embeddings.
/// </summary>
internal static class RunnerReuseBench
{
    public static void Run(string dbPath, string experiment = "quickstart")
    {
        Console.WriteLine($"reuse: store {dbPath}, experiment '{experiment}'");
        if (!File.Exists(dbPath))
        {
            Console.WriteLine("reuse: no store at that path (run the quickstart first, or pass --db PATH); skipped");
            return;
        }
        var dir = Directory.CreateTempSubdirectory("ablations-reuse-bench-").FullName;
        try
        {
            var copy = Path.Combine(dir, "ablations.db");
            using (var src = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dbPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
            using (var dst = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString()))
            {
                src.Open();
                dst.Open();
                src.BackupDatabase(dst);
            }
            Report(ResultsStore.Open(StoreLocation.Sqlite(copy)), experiment);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    private static void Report(ResultsStore store, string experiment)
    {
        var exp = store.FindExperiment(experiment);
        if (exp is null)
        {
            Console.WriteLine($"reuse: no experiment '{experiment}' in the store; skipped");
            return;
        }
        var unique = store.StagesOf(exp.Id);
        List<(int RunId, string Hash)> links;
        using (var db = store.NewContext())
            links = db.RunStages.AsNoTracking().Where(rs => rs.Run!.ExperimentId == exp.Id && rs.Run.Active)
                .Select(rs => new { rs.RunId, rs.StageHash }).AsEnumerable().Select(x => (x.RunId, x.StageHash)).ToList();
        var byHash = unique.ToDictionary(s => s.Hash);
        var runs = links.Select(l => l.RunId).Distinct().Count();
        var missing = unique.Count(s => s.Status != StageStatus.Succeeded || s.DurationSeconds is null);
        double Seconds(StageRow s) => s.DurationSeconds ?? 0;

        var spent = unique.Sum(Seconds);
        var naive = links.Sum(l => Seconds(byHash[l.Hash]));
        Console.WriteLine($"reuse: {runs} runs, {unique.Count} unique stages, {links.Count} run→stage links" +
                          (missing > 0 ? $"; {missing} stages not succeeded or without a duration (counted as 0 s)" : ""));
        Console.WriteLine($"{"type",-10} {"unique",7} {"seconds",10} {"links",7} {"seconds if per run",19}");
        foreach (var g in unique.GroupBy(s => s.Type).OrderByDescending(g => g.Sum(Seconds)))
        {
            var hashes = g.Select(s => s.Hash).ToHashSet();
            var typeLinks = links.Where(l => hashes.Contains(l.Hash)).ToList();
            Console.WriteLine($"{g.Key,-10} {g.Count(),7} {g.Sum(Seconds),10:F1} {typeLinks.Count,7} {typeLinks.Sum(l => Seconds(byHash[l.Hash])),19:F1}");
        }
        Console.WriteLine($"reuse: stage-seconds spent {spent:F1} s; if every run computed its own world, teachers, captions and embeddings {naive:F1} s; " +
                          $"ratio {(naive > 0 ? spent / naive : double.NaN):F3} ({(spent > 0 ? naive / spent : double.NaN):F2}× saved)");
    }
}
