using Ablations.Core.Execution;
using Ablations.Core.Planning;
using Ablations.Core.Store.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Ablations.Core.Store;

/// <summary>
/// The one place that changes stage state. Every transition is a single guarded UPDATE (status, and the
/// owning worker where it matters), so two processes racing on the same stage cannot both win: that is
/// what makes enqueueing idempotent and a duplicate Hangfire delivery a no-op.
/// </summary>
public sealed partial class ResultsStore
{
    private ResultsStore(StoreLocation location) => Location = location;

    public StoreLocation Location { get; }

    /// <summary>
    /// Opens (creating or migrating) the store; a read-only, full, damaged or locked file becomes a clear
    /// StoreUnavailableException. Migrations run only when some are pending, and on SQLite under an OS file lock
    /// (<see cref="MigrationLock"/>) that dies with its process: while it is held, a row left in EF Core's
    /// __EFMigrationsLock by a process that crashed mid-migration is stale by construction and is removed, where EF
    /// itself would wait for it forever.
    /// </summary>
    public static ResultsStore Open(StoreLocation location)
    {
        Guard(location, () =>
        {
            if (location.Provider == StoreProvider.Sqlite && Path.GetDirectoryName(location.Display) is { Length: > 0 } dir)
                Workspace.CreateFolder(dir);
            if (IsMigrated(location)) return;
            using var migrating = location.Provider == StoreProvider.Sqlite ? MigrationLock.Take(location) : null;
            if (migrating is { Held: true } && SqliteSchema.TryCreate(location)) return;
            using var db = location.NewContext();
            if (migrating is { Held: true }) MigrationLock.ClearStaleRow(db);
            if (db.Database.GetPendingMigrations().Any()) db.Database.Migrate();
            if (location.Provider == StoreProvider.Sqlite)
                db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
        });
        return new ResultsStore(location with { MustExist = true });
    }

    /// <summary>
    /// Builds EF Core's services for an existing store and compiles the queries a re-run of a finished grid makes first
    /// (its stages, their artifacts), answering nothing: `ablate run` calls it on another thread while it parses and plans
    /// the spec, so its first real queries find them ready (issue 11). It migrates nothing and reports nothing: a store it
    /// cannot read is for the command's own open and queries to report.
    /// </summary>
    public static void Warm(StoreLocation location)
    {
        try
        {
            var store = new ResultsStore(location with { MustExist = true, RetryFor = TimeSpan.Zero });
            store.StagesOf(0);
            store.Artifacts([]);
        }
        catch (Exception)
        {
            // Only a warm-up: the command meets the same failure on its own path and says what it is.
        }
    }

    internal AblationsDbContext NewContext() => Location.NewContext();

    /// <summary>
    /// True when the store already holds every migration this build knows (and a SQLite file is in WAL mode with no
    /// stale migration lock row), read with plain queries. Asking EF Core (GetPendingMigrations) builds its migrations
    /// machinery first; only a store that needs migrating pays for that now (issue 11: opening the store cost ~0.4–1 s
    /// of every command).
    /// </summary>
    private static bool IsMigrated(StoreLocation location)
    {
        var latest = location.Provider == StoreProvider.Sqlite ? LatestSqliteMigration.Value : LatestPostgresMigration.Value;
        using var connection = location.OpenPlainConnection();
        using var command = connection.CreateCommand();
        command.CommandText = location.Provider == StoreProvider.Sqlite
            ? "SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory') THEN 1 ELSE 0 END"
            : "SELECT CASE WHEN to_regclass('\"__EFMigrationsHistory\"') IS NULL THEN 0 ELSE 1 END";
        if (Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0) return false;
        command.CommandText = "SELECT MAX(\"MigrationId\") FROM \"__EFMigrationsHistory\"";
        if (command.ExecuteScalar() is not string applied || string.CompareOrdinal(applied, latest) < 0) return false;
        if (string.CompareOrdinal(applied, latest) > 0)
            throw new StoreUnavailableException($"{location.Display}: this store was migrated by a newer version of ablate (its schema is at " +
                $"migration {applied}; this build knows up to {latest}), whose rows this one could misread or damage; upgrade ablate here " +
                "to the version the other nodes run (docs/cluster.md, \"Upgrades\"), or point --db at a store this version made");
        if (location.Provider != StoreProvider.Sqlite) return true;
        // A row in EF Core's lock table was left by a process that died while migrating: the slow path clears it under MigrationLock.
        if (MigrationLock.HasRow(connection)) return false;
        command.CommandText = "PRAGMA journal_mode";
        return string.Equals(command.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase);
    }

    private static readonly Lazy<string> LatestSqliteMigration = new(() => LatestMigration(typeof(AblationsDbContext)));
    private static readonly Lazy<string> LatestPostgresMigration = new(() => LatestMigration(typeof(PostgresDbContext)));

    /// <summary>The id of the newest migration compiled into this build for the context (ids sort by their timestamp prefix).</summary>
    private static string LatestMigration(Type context)
    {
        return typeof(ResultsStore).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Infrastructure.DbContextAttribute), false)
                .Cast<Microsoft.EntityFrameworkCore.Infrastructure.DbContextAttribute>().Any(a => a.ContextType == context))
            .SelectMany(t => t.GetCustomAttributes(typeof(Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute), false)
                .Cast<Microsoft.EntityFrameworkCore.Migrations.MigrationAttribute>().Select(a => a.Id))
            .Max(StringComparer.Ordinal)!;
    }

    /// <summary>Runs a store operation under <see cref="StoreFaults"/>: transient failures retried, permanent ones a message that names the store and the fix.</summary>
    public static T Guard<T>(StoreLocation location, Func<T> action) => StoreFaults.Run(location, action);

    public static void Guard(StoreLocation location, Action action) => Guard(location, () => { action(); return 0; });

    private T Guard<T>(Func<T> action) => Guard(Location, action);

    private static void ResetForRetry(StageRow row)
    {
        row.Status = StageStatus.Pending;
        row.Attempts = 0;
        row.Worker = null;
        row.JobId = null;
        row.FailureKind = null;
        row.Error = null;
        row.CancelRequested = false;
        row.Progress = 0;
        row.Phase = null;
    }

    /// <summary>
    /// How many stages per queue may wait in Hangfire at once. Ready stages beyond it stay Pending and are
    /// enqueued by <see cref="TopUp"/> as runners finish work, so submitting a 1,000-cell grid creates 64 jobs,
    /// not 1,000 (each job costs several synced commits in the SQLite job store).
    /// </summary>
    public const int DefaultQueueWindow = 64;

    /// <summary>
    /// Moves Pending stages of the experiment whose inputs all succeeded to Queued, up to the per-queue window,
    /// and returns those this call moved (another process calling at the same time gets others, never the same).
    /// </summary>
    public IReadOnlyList<ReadyStage> TakeReady(int experimentId, int perQueueWindow = DefaultQueueWindow) => Guard(() =>
    {
        using var db = NewContext();
        return TakeWindow(db, NeededBy(db, experimentId).Where(s => s.Status == StageStatus.Pending), perQueueWindow);
    });

    /// <summary>
    /// Tops every queue up to the window with ready Pending stages of any active, uncancelled experiment; runners
    /// call it after each stage and on a timer, which is how a grid larger than the window keeps flowing.
    /// </summary>
    public IReadOnlyList<ReadyStage> TopUp(int perQueueWindow = DefaultQueueWindow) => Guard(() =>
    {
        using var db = NewContext();
        var pending = db.Stages.Where(s => s.Status == StageStatus.Pending &&
            db.RunStages.Any(rs => rs.StageHash == s.Hash && rs.Run!.Active && !rs.Run.Experiment!.CancelRequested));
        return TakeWindow(db, pending, perQueueWindow);
    });

    /// <summary>
    /// The oldest ready stages of <paramref name="pending"/>, per queue up to the free part of its window. Each queue's
    /// are read with an ordered LIMIT over the (status, queue, created, hash) index, so the cost follows the free slots
    /// (one, after a stage ends), not the size of the backlog: reading every ready stage first made each TopUp of a
    /// 10,000-stage grid read 10,000 rows (issue 11).
    /// </summary>
    private static IReadOnlyList<ReadyStage> TakeWindow(AblationsDbContext db, IQueryable<StageRow> pending, int perQueueWindow)
    {
        var queues = db.Stages.Where(s => s.Status == StageStatus.Pending).Select(s => s.Queue).Distinct().ToList();
        if (queues.Count == 0) return [];
        var waiting = db.Stages.Where(s => s.Status == StageStatus.Queued)
            .GroupBy(s => s.Queue).Select(g => new { Queue = g.Key, Count = g.Count() }).ToDictionary(g => g.Queue, g => g.Count);
        var chosen = new List<string>();
        foreach (var queue in queues.Order(StringComparer.Ordinal))
        {
            var free = perQueueWindow - waiting.GetValueOrDefault(queue);
            if (free <= 0) continue;
            chosen.AddRange(pending
                .Where(s => s.Queue == queue &&
                    !db.StageInputs.Any(i => i.StageHash == s.Hash && db.Stages.Any(u => u.Hash == i.InputHash && u.Status != StageStatus.Succeeded)))
                .OrderBy(s => s.CreatedAt).ThenBy(s => s.Hash)
                .Select(s => s.Hash).Take(free).ToList());
        }
        if (chosen.Count == 0) return [];
        // One transaction for all the guarded updates: the window commits (and syncs) once, not once per stage.
        using var tx = db.Database.BeginTransaction();
        var taken = TakeReadyAmong(db, chosen);
        tx.Commit();
        return taken;
    }

    private static List<ReadyStage> TakeReadyAmong(AblationsDbContext db, IReadOnlyCollection<string> candidates)
    {
        var taken = new List<ReadyStage>();
        if (candidates.Count == 0) return taken;
        var blocked = db.StageInputs.Where(i => candidates.Contains(i.StageHash))
            .Join(db.Stages, i => i.InputHash, s => s.Hash, (i, s) => new { i.StageHash, s.Status })
            .Where(x => x.Status != StageStatus.Succeeded)
            .Select(x => x.StageHash).Distinct().ToHashSet();
        var now = DateTime.UtcNow;
        if (db.Database.IsNpgsql()) return TakePendingSkippingLocked(db, [.. candidates.Where(h => !blocked.Contains(h))], now);
        foreach (var hash in candidates.Where(h => !blocked.Contains(h)))
        {
            var moved = db.Stages.Where(s => s.Hash == hash && s.Status == StageStatus.Pending)
                .ExecuteUpdate(u => u.SetProperty(s => s.Status, StageStatus.Queued).SetProperty(s => s.EnqueuedAt, now));
            if (moved == 1) taken.Add(new ReadyStage(hash, db.Stages.Where(s => s.Hash == hash).Select(s => s.Queue).Single()));
        }
        return taken;
    }

    /// <summary>
    /// PostgreSQL: every candidate still Pending moves to Queued in one statement that skips rows another transaction has
    /// locked. Runners top their queues up at the same moments (after each stage), so their candidate lists overlap; one
    /// guarded UPDATE per stage made each runner wait on the row locks of the others' uncommitted updates, only to find
    /// the row no longer Pending (32–60 ms a call at 8 runners, bench/RESULTS.md "Issue 13"). A skipped row is being moved
    /// by the transaction that locked it, or, if that one rolls back, by the next top-up. SQLite has no row locks (one
    /// writer at a time), so it keeps the per-stage update.
    /// </summary>
    private static List<ReadyStage> TakePendingSkippingLocked(AblationsDbContext db, string[] hashes, DateTime now)
    {
        if (hashes.Length == 0) return [];
        var connection = db.Database.GetDbConnection();
        using var update = Command(connection, """
            UPDATE stages SET "Status" = @queued, "EnqueuedAt" = @now
            WHERE "Hash" IN (SELECT "Hash" FROM stages WHERE "Hash" = ANY(@hashes) AND "Status" = @pending FOR UPDATE SKIP LOCKED)
            RETURNING "Hash", "Queue"
            """, ("hashes", hashes), ("now", now), QueuedStatus, PendingStatus);
        update.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        var moved = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var reader = update.ExecuteReader())
            while (reader.Read()) moved[reader.GetString(0)] = reader.GetString(1);
        // In the candidates' order (oldest first), as the per-stage path returns them.
        return [.. hashes.Where(moved.ContainsKey).Select(h => new ReadyStage(h, moved[h]))];
    }

    /// <summary>
    /// Queued stages of the experiment: their job may have been lost with a crashed process, so a resumed
    /// `run` enqueues them again. A duplicate job for a stage is harmless: only one claim wins.
    /// </summary>
    public IReadOnlyList<ReadyStage> Queued(int experimentId) => Guard(() =>
    {
        using var db = NewContext();
        return (IReadOnlyList<ReadyStage>)NeededBy(db, experimentId).Where(s => s.Status == StageStatus.Queued)
            .Select(s => new ReadyStage(s.Hash, s.Queue)).ToList();
    });

    /// <summary>
    /// Records that <paramref name="worker"/> has fetched the stage's job ahead and waits for a slot to run it (the stage
    /// stays Queued; <see cref="Claim"/> replaces the hold): should that runner die while it waits, its job is invisible on
    /// the queue until the queue's own timeout, and <see cref="RequeueAbandoned"/> finds the stage by this hold instead.
    /// Called again while the wait goes on, as a heartbeat. False when the stage is no longer Queued, or another live
    /// worker holds it: this delivery is a duplicate and does nothing.
    /// </summary>
    public bool Hold(string hash, string worker) => Guard(() =>
    {
        using var db = NewContext();
        var now = DateTime.UtcNow;
        return db.Stages.Where(s => s.Hash == hash && s.Status == StageStatus.Queued && (s.Worker == null || s.Worker == worker))
            .ExecuteUpdate(u => u.SetProperty(s => s.Worker, worker).SetProperty(s => s.HeartbeatAt, now)) == 1;
    });

    /// <summary>
    /// Ends <paramref name="worker"/>'s <see cref="Hold"/> without running the stage (every slot stayed busy): the stage as
    /// due for a new job if it is still Queued and still held by that worker, else null (claimed or re-queued meanwhile).
    /// </summary>
    public ReadyStage? Unhold(string hash, string worker) => Guard(() =>
    {
        using var db = NewContext();
        var released = db.Stages.Where(s => s.Hash == hash && s.Status == StageStatus.Queued && s.Worker == worker)
            .ExecuteUpdate(u => u.SetProperty(s => s.Worker, (string?)null));
        return released == 1 ? new ReadyStage(hash, db.Stages.Where(s => s.Hash == hash).Select(s => s.Queue).Single(), null) : (ReadyStage?)null;
    });

    /// <summary>
    /// Puts stages whose worker is gone back on the queue and returns them for a new job (the old job, invisible behind the
    /// dead worker, is deleted by the scheduler): Running stages go back to Queued, and Queued stages a worker had fetched
    /// ahead (<see cref="Hold"/>) lose the hold. A worker is gone when its heartbeat is older than <paramref name="staleAfter"/>,
    /// or <paramref name="isDead"/> says so (a process on this host that no longer exists), or its runner is Lost or Stopped
    /// in the registry (<see cref="MarkLostRunners"/>, which this sweep runs first; never the <paramref name="sweeper"/>'s
    /// own runner, whose heartbeat a busy machine may have delayed). Guarded per stage and worker,
    /// so it never steals a live claim twice.
    /// </summary>
    public IReadOnlyList<ReadyStage> RequeueAbandoned(TimeSpan staleAfter, Func<string, bool> isDead, string? sweeper = null) => Guard(() =>
    {
        using var db = NewContext();
        var stale = DateTime.UtcNow - staleAfter;
        var held = db.Stages.AsNoTracking().Where(s => s.Status == StageStatus.Running || (s.Status == StageStatus.Queued && s.Worker != null))
            .Select(s => new { s.Hash, s.Queue, s.Status, s.Worker, s.HeartbeatAt, s.JobId }).ToList();
        var requeued = new List<ReadyStage>();
        var gone = MarkLostRunners(db, sweeper);
        foreach (var s in held.Where(s => s.HeartbeatAt < stale || (s.Worker is not null && (isDead(s.Worker) || gone.Contains(RunnerOf(s.Worker))))))
        {
            var moved = db.Stages.Where(x => x.Hash == s.Hash && x.Worker == s.Worker && x.Status == s.Status)
                .ExecuteUpdate(u => u.SetProperty(x => x.Status, StageStatus.Queued).SetProperty(x => x.Worker, (string?)null)
                    .SetProperty(x => x.EnqueuedAt, DateTime.UtcNow));
            if (moved == 1) requeued.Add(new ReadyStage(s.Hash, s.Queue, s.JobId));
        }
        return (IReadOnlyList<ReadyStage>)requeued;
    });

    public void RecordJob(string hash, string jobId) => Guard(() =>
    {
        using var db = NewContext();
        return db.Stages.Where(s => s.Hash == hash).ExecuteUpdate(u => u.SetProperty(s => s.JobId, jobId));
    });

    /// <summary>
    /// Claims a stage for one worker: Queued → Running, or takes over a Running stage whose heartbeat is older
    /// than <paramref name="staleAfter"/>, and returns what running it needs: its type, config and attempt, its inputs
    /// (role → hash) and whether points of earlier attempts are stored. Metrics of earlier attempts stay: a stage that
    /// resumes from a checkpoint keeps the points logged before it (re-logged steps replace theirs, see MetricWriter), and
    /// the runner deletes them with <see cref="DeleteMetrics"/> for a stage that starts over. Returns null when another
    /// worker holds it or it is already done.
    /// </summary>
    /// <remarks>
    /// One guarded UPDATE … RETURNING (SQLite 3.35+ and PostgreSQL) and two reads on one plain connection: the claim lies
    /// between one stage's program and the next on a runner's critical path, where EF Core's context, transaction and
    /// three queries cost ~2 ms a stage more (issue 11).
    /// </remarks>
    public ClaimedStage? Claim(string hash, string worker, TimeSpan staleAfter) => Guard(() =>
    {
        using var connection = Location.OpenPlainConnection();
        var now = DateTime.UtcNow;
        var stale = now - staleAfter;
        var claim = Command(connection, """
            UPDATE stages SET "Status" = @running, "Worker" = @worker, "Attempts" = "Attempts" + 1, "StartedAt" = @now,
                "HeartbeatAt" = @now, "Progress" = 0, "Phase" = NULL, "FailureKind" = NULL, "Error" = NULL
            WHERE "Hash" = @hash AND ("Status" = @queued OR ("Status" = @running AND "HeartbeatAt" < @stale))
            RETURNING "Type", "ConfigJson", "Attempts"
            """, ("hash", hash), ("worker", worker), ("now", now), ("stale", stale), RunningStatus, QueuedStatus);
        var row = ReadClaim(claim);
        // Not claimed now, but already ours: a retry (StoreFaults) of this very claim after its write reached the store
        // but the answer did not reach us.
        row ??= ReadClaim(Command(connection, """
            SELECT "Type", "ConfigJson", "Attempts" FROM stages
            WHERE "Hash" = @hash AND "Status" = @running AND "Worker" = @worker AND "StartedAt" >= @stale
            """, ("hash", hash), ("worker", worker), ("stale", stale), RunningStatus));
        if (row is not { } claimed) return null;
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var read = Command(connection, """SELECT "Role", "InputHash" FROM stage_inputs WHERE "StageHash" = @hash""", ("hash", hash)))
        using (var reader = read.ExecuteReader())
            while (reader.Read()) inputs[reader.GetString(0)] = reader.GetString(1);
        using var metrics = Command(connection, """SELECT CASE WHEN EXISTS (SELECT 1 FROM metrics WHERE "StageHash" = @hash) THEN 1 ELSE 0 END""", ("hash", hash));
        var hasMetrics = Convert.ToInt32(metrics.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1;
        return new ClaimedStage(claimed.Type, claimed.ConfigJson, claimed.Attempts, inputs, hasMetrics);
    });

    // Statuses are stored by their names (EF Core's string conversion): passed as parameters, they are named in one place.
    private static readonly (string, object) RunningStatus = ("running", nameof(StageStatus.Running));
    private static readonly (string, object) QueuedStatus = ("queued", nameof(StageStatus.Queued));
    private static readonly (string, object) PendingStatus = ("pending", nameof(StageStatus.Pending));

    private static (string Type, string ConfigJson, int Attempts)? ReadClaim(System.Data.Common.DbCommand command)
    {
        using (command)
        using (var reader = command.ExecuteReader())
            return reader.Read() ? (reader.GetString(0), reader.GetString(1), Convert.ToInt32(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture)) : null;
    }

    private static System.Data.Common.DbCommand Command(System.Data.Common.DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }
        return command;
    }

    /// <summary>Records liveness and progress; returns true when cancellation was requested for the stage.</summary>
    public bool Heartbeat(string hash, string worker, double progress, string? phase) => Guard(() =>
    {
        using var db = NewContext();
        var now = DateTime.UtcNow;
        db.Stages.Where(s => s.Hash == hash && s.Worker == worker && s.Status == StageStatus.Running)
            .ExecuteUpdate(u => u.SetProperty(s => s.HeartbeatAt, now).SetProperty(s => s.Progress, progress).SetProperty(s => s.Phase, phase));
        return db.Stages.Where(s => s.Hash == hash).Select(s => s.CancelRequested || s.Status != StageStatus.Running || s.Worker != worker).Single();
    });

    /// <summary>Inputs (role → hash) of a stage and whether all succeeded.</summary>
    public IReadOnlyDictionary<string, string> InputsOf(string hash) => Guard(() =>
    {
        using var db = NewContext();
        return (IReadOnlyDictionary<string, string>)db.StageInputs.Where(i => i.StageHash == hash).ToDictionary(i => i.Role, i => i.InputHash);
    });

    /// <summary>Every metric point of the stage: an attempt that starts over must not inherit an earlier attempt's points.</summary>
    public void DeleteMetrics(string hash) => Guard(() =>
    {
        // Called only when the claim found points (ClaimedStage.HasMetrics): a stage's first attempt has none, and the
        // claim's read does not wait for the write lock another worker holds.
        using var db = NewContext();
        return db.Metrics.Where(m => m.StageHash == hash).ExecuteDelete();
    });

    /// <summary>
    /// Marks the stage succeeded (only if this worker still holds it and every input still has the artifact it read),
    /// records its artifact with the manifest of what was published and the root hash of each input it consumed, takes
    /// back stages that had consumed an earlier artifact of this stage that differs from the new one (or whose consumed
    /// artifact is unknown: stores written before roots were recorded), and takes its dependents that became ready.
    /// </summary>
    /// <param name="consumed">Input role → root SHA-256 of the artifact the stage read.</param>
    public Completion Succeed(string hash, string worker, Artifacts.ArtifactManifest manifest, double seconds, IReadOnlyDictionary<string, string>? consumed = null) => Guard(() =>
    {
        using var db = NewContext();
        using var tx = db.Database.BeginTransaction();
        var now = DateTime.UtcNow;
        // Each query here is a round trip inside the write transaction (on PostgreSQL ~1 ms and EF Core's own work each,
        // issue 11): the claim check also reads the type, and a root stage skips the query of its inputs' artifacts.
        var mine = db.Stages.Where(s => s.Hash == hash && s.Worker == worker && s.Status == StageStatus.Running);
        var kind = mine.Select(s => s.Type).FirstOrDefault();
        if (kind is null)
        {
            // Recorded by this worker already: a retry (StoreFaults) after the commit reached the store but the answer
            // did not. Its dependents were queued then; hand them back so their jobs are enqueued (a duplicate job is harmless).
            if (db.Stages.Any(s => s.Hash == hash && s.Worker == worker && s.Status == StageStatus.Succeeded))
            {
                var queued = db.StageInputs.Where(i => i.InputHash == hash).Select(i => i.StageHash)
                    .Join(db.Stages.Where(s => s.Status == StageStatus.Queued), h => h, s => s.Hash, (h, s) => new ReadyStage(s.Hash, s.Queue)).Distinct().ToList();
                return new Completion(Completion.Outcome.Succeeded, queued, []);
            }
            return Completion.ClaimLost;
        }
        consumed ??= new Dictionary<string, string>();
        var inputs = db.StageInputs.Where(i => i.StageHash == hash).ToList();
        var inputHashes = inputs.Select(i => i.InputHash).ToList();
        var roots = inputHashes.Count == 0 ? [] : db.Artifacts.Where(a => inputHashes.Contains(a.Hash)).ToDictionary(a => a.Hash, a => a.RootSha256);
        if (inputs.Any(i => !roots.TryGetValue(i.InputHash, out var root) || root != consumed.GetValueOrDefault(i.Role)))
        {
            // An input was invalidated or republished with other content while this stage ran: its output is of an
            // artifact that no longer exists, so it runs again instead of being recorded.
            TakeBack(db, [hash]);
            tx.Commit();
            return Completion.InputsChanged;
        }
        mine.ExecuteUpdate(u => u
            .SetProperty(s => s.Status, StageStatus.Succeeded)
            .SetProperty(s => s.FinishedAt, now)
            .SetProperty(s => s.DurationSeconds, seconds)
            .SetProperty(s => s.Progress, 1.0)
            .SetProperty(s => s.Phase, (string?)null));
        foreach (var input in inputs) input.ConsumedRootSha256 = consumed.GetValueOrDefault(input.Role);
        db.Artifacts.Where(a => a.Hash == hash).ExecuteDelete();
        var root = manifest.RootSha256;
        db.Artifacts.Add(new ArtifactRow
        {
            Hash = hash, Kind = kind, Path = Workspace.RelativeArtifactPath(hash), Bytes = manifest.Bytes,
            RootSha256 = root, ManifestJson = manifest.ToJson(), CreatedAt = now, VerifiedAt = now,
        });
        db.SaveChanges();
        // Every stage that reads this one, in one query: those that succeeded on another artifact of it are taken back
        // (they recompute), and the rest may have become ready.
        var readers = db.StageInputs.Where(i => i.InputHash == hash)
            .Join(db.Stages, i => i.StageHash, s => s.Hash, (i, s) => new { i.StageHash, i.ConsumedRootSha256, s.Status }).ToList();
        var stale = readers.Where(r => r.Status == StageStatus.Succeeded && r.ConsumedRootSha256 != root)
            .Select(r => r.StageHash).Distinct().ToList();
        if (stale.Count > 0) TakeBack(db, stale);
        var dependents = readers.Select(r => r.StageHash).Distinct().ToList();
        var ready = TakeReadyAmong(db, dependents);
        tx.Commit();
        return new Completion(Completion.Outcome.Succeeded, ready, stale);
    });

    /// <summary>
    /// Records a failed attempt. A retryable one goes back to Queued; a final one is Failed with its classified
    /// reason, and every stage downstream that has not run is failed as UpstreamFailed (so its runs fail, not the grid).
    /// </summary>
    public void Fail(string hash, string worker, FailureKind kind, string error, bool retry) => Guard(() =>
    {
        using var db = NewContext();
        using var tx = db.Database.BeginTransaction();
        var now = DateTime.UtcNow;
        var status = retry ? StageStatus.Queued : kind == FailureKind.Cancelled ? StageStatus.Cancelled : StageStatus.Failed;
        var changed = db.Stages.Where(s => s.Hash == hash && s.Worker == worker && s.Status == StageStatus.Running)
            .ExecuteUpdate(u => u
                .SetProperty(s => s.Status, status)
                .SetProperty(s => s.FailureKind, kind.ToString())
                .SetProperty(s => s.Error, error)
                .SetProperty(s => s.FinishedAt, retry ? null : now)
                .SetProperty(s => s.EnqueuedAt, retry ? now : null));
        if (changed == 1 && status == StageStatus.Failed) FailDownstream(db, hash, now);
        tx.Commit();
        return changed;
    });

    private static void FailDownstream(AblationsDbContext db, string hash, DateTime now)
    {
        var frontier = new Queue<string>([hash]);
        var seen = new HashSet<string>();
        while (frontier.Count > 0)
        {
            var current = frontier.Dequeue();
            foreach (var dep in db.StageInputs.Where(i => i.InputHash == current).Select(i => i.StageHash).ToList())
            {
                if (!seen.Add(dep)) continue;
                db.Stages.Where(s => s.Hash == dep && (s.Status == StageStatus.Pending || s.Status == StageStatus.Queued))
                    .ExecuteUpdate(u => u
                        .SetProperty(s => s.Status, StageStatus.Failed)
                        .SetProperty(s => s.FailureKind, nameof(FailureKind.UpstreamFailed))
                        .SetProperty(s => s.Error, $"input stage {current[..12]} failed")
                        .SetProperty(s => s.FinishedAt, now));
                frontier.Enqueue(dep);
            }
        }
    }

    /// <summary>
    /// Puts a stage whose input turned out damaged or missing (and was invalidated) back to Pending without counting the
    /// attempt: it is taken again as ready when that input has been recomputed.
    /// </summary>
    public void WaitForInputs(string hash, string worker) => Guard(() =>
    {
        using var db = NewContext();
        return db.Stages.Where(s => s.Hash == hash && s.Worker == worker && s.Status == StageStatus.Running)
            .ExecuteUpdate(u => u.SetProperty(s => s.Status, StageStatus.Pending).SetProperty(s => s.Attempts, s => s.Attempts - 1)
                .SetProperty(s => s.Worker, (string?)null).SetProperty(s => s.EnqueuedAt, (DateTime?)null));
    });

    /// <summary>Puts a stage interrupted by a runner shutdown back on the queue without counting the attempt as failed.</summary>
    /// <returns>True when it was this worker's and is Queued again.</returns>
    public bool Release(string hash, string worker) => Guard(() =>
    {
        using var db = NewContext();
        return Requeue(db.Stages.Where(s => s.Hash == hash && s.Worker == worker && s.Status == StageStatus.Running)) == 1;
    });

    /// <summary>
    /// <see cref="Release"/> for every stage a runner process still holds (its workers are named "process:thread"), and the
    /// end of its <see cref="Hold"/>s on stages it had fetched ahead (their jobs go back to the queue with the runner's
    /// shutdown): the last word of a runner that stops, for stages whose own release could not be written.
    /// </summary>
    public int ReleaseHeldBy(string process) => Guard(() =>
    {
        using var db = NewContext();
        var prefix = process + ":";
        db.Stages.Where(s => s.Status == StageStatus.Queued && s.Worker != null && s.Worker.StartsWith(prefix))
            .ExecuteUpdate(u => u.SetProperty(s => s.Worker, (string?)null));
        return Requeue(db.Stages.Where(s => s.Status == StageStatus.Running && s.Worker != null && s.Worker.StartsWith(prefix)));
    });

    private static int Requeue(IQueryable<StageRow> running) =>
        running.ExecuteUpdate(u => u.SetProperty(s => s.Status, StageStatus.Queued).SetProperty(s => s.Attempts, s => s.Attempts - 1).SetProperty(s => s.Worker, (string?)null));
}
