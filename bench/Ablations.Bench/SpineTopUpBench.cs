using Ablations.Core.Store;
using Ablations.Orchestrator.Scheduling;
using Ablations.Core.Results;
using System.Diagnostics;
using static Ablations.Bench.SpineBenchSupport;

namespace Ablations.Bench;

/// <summary>
/// The cost of one TopUp (what a runner does after every stage) on stores of different sizes (issue 11: it must not grow
/// with the store). For each size: a command grid of that many cells is submitted, the window is filled, then 50 times
/// one queued stage is claimed and succeeded (freeing one slot) and the TopUp that refills it is timed. Prints the mean
/// per size and the ratio largest ÷ smallest; target ≤ 1.5. With --db postgres://…/ each size gets a fresh database of
/// that server (created, then dropped), and the plan PostgreSQL chose for the ready-stages query is printed.
/// </summary>
internal static class SpineTopUpBench
{
    public const double TargetRatio = 1.5;

    public static int Run(string[] args)
    {
        var server = args.Length > 1 && args[0] == "--db" ? args[1].TrimEnd('/') : null;
        if (server is not null) args = args[2..];
        var sizes = args.Length > 0 ? args.Select(int.Parse).ToArray() : [1_000, 10_000];
        Line($"## TopUp cost by store size on {(server is null ? "SQLite" : "PostgreSQL")}: command grids of {string.Join(", ", sizes)} cells, window {ResultsStore.DefaultQueueWindow}, 50 timed TopUps each (after 5 untimed)");
        var means = sizes.Select(n => server is null ? Measure(n, null) : OnFreshDatabase(server, n)).ToArray();
        var ratio = means[^1] / means[0];
        Line($"result: TopUp at {sizes[^1]} cells ÷ at {sizes[0]} cells = {F(ratio, "F2")} (target ≤ {F(TargetRatio, "F1")})");
        return ratio <= TargetRatio ? 0 : 1;
    }

    private static double OnFreshDatabase(string server, int cells)
    {
        var database = $"ablations_topup_{cells}_{Environment.ProcessId}";
        void Admin(string sql)
        {
            using var connection = new Npgsql.NpgsqlConnection(Core.Store.StoreLocation.Parse(server + "/postgres").ConnectionString);
            connection.Open();
            using var command = new Npgsql.NpgsqlCommand(sql, connection);
            command.ExecuteNonQuery();
        }
        Admin($"CREATE DATABASE {database}");
        try
        {
            return Measure(cells, $"{server}/{database}");
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            Admin($"DROP DATABASE {database}");
        }
    }

    private static double Measure(int cells, string? db)
    {
        using var temp = new TempWorkspace("topup", db);
        var side = (int)Math.Ceiling(Math.Sqrt(cells));
        var specPath = WriteCommandSpec(temp.Root, "topup-bench", [side, (cells + side - 1) / side], ["true"], withProgram: false);
        var plan = LoadAndPlan(specPath);
        var store = ResultsStore.Open(temp.Workspace.Store);
        var stored = store.Submit(plan, Submission.CodeVersion, null, ReportContext.From(plan.Spec).ToJson());
        var queued = new Queue<string>(store.TakeReady(stored.ExperimentId).Select(r => r.Hash));
        var times = new List<double>();
        for (var i = 0; i < 55; i++)
        {
            var hash = queued.Dequeue();
            store.Claim(hash, "bench", TimeSpan.FromMinutes(5));
            store.Succeed(hash, "bench", new Core.Artifacts.ArtifactManifest([]), 0.01);
            var t0 = Stopwatch.GetTimestamp();
            var taken = store.TopUp();
            var t1 = Stopwatch.GetTimestamp();
            foreach (var r in taken) queued.Enqueue(r.Hash);
            if (i >= 5) times.Add(Seconds(t0, t1));
        }
        if (db is not null) Explain(temp.Workspace.Store);
        var mean = times.Average();
        Line($"  {plan.Runs.Count,6} cells ({plan.Stages.Count} stages): TopUp mean {Ms(mean)}, median {Ms(times.Order().ElementAt(times.Count / 2))}");
        return mean;
    }

    /// <summary>PostgreSQL's plan for one queue's ready stages, the query TakeWindow runs after every stage.</summary>
    private static void Explain(Core.Store.StoreLocation store)
    {
        using var connection = new Npgsql.NpgsqlConnection(store.ConnectionString);
        connection.Open();
        using var command = new Npgsql.NpgsqlCommand("""
            EXPLAIN ANALYZE SELECT s."Hash" FROM stages s
            WHERE s."Status" = 'Pending' AND s."Queue" = 'default'
              AND EXISTS (SELECT 1 FROM run_stages rs JOIN runs r ON r."Id" = rs."RunId" JOIN experiments e ON e."Id" = r."ExperimentId"
                          WHERE rs."StageHash" = s."Hash" AND r."Active" AND NOT e."CancelRequested")
              AND NOT EXISTS (SELECT 1 FROM stage_inputs i JOIN stages u ON u."Hash" = i."InputHash"
                              WHERE i."StageHash" = s."Hash" AND u."Status" <> 'Succeeded')
            ORDER BY s."CreatedAt", s."Hash" LIMIT 1
            """, connection);
        using var reader = command.ExecuteReader();
        while (reader.Read()) Line("    " + reader.GetString(0));
    }
}
