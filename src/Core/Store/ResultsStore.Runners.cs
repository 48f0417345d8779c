using Ablations.Core.Scheduling;
using Ablations.Core.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Core.Store;

/// <summary>A registered runner with the stages it runs now (hashes of its Running claims).</summary>
public sealed record RunnerView(RunnerRow Runner, IReadOnlyList<StageRow> Stages)
{
    /// <summary>Lost shows as soon as its heartbeat is late, even before a sweep has written it.</summary>
    public RunnerState State(DateTime now) => ResultsStore.IsLate(Runner, now) ? RunnerState.Lost : Runner.State;
}

public sealed partial class ResultsStore
{
    /// <summary>Ended runners are listed for this long (`ablate runners --all` shows them), then their rows are deleted.</summary>
    public static readonly TimeSpan EndedRunnersKept = TimeSpan.FromDays(7);

    /// <summary>
    /// Records a starting runner (its row's <see cref="RunnerRow.Id"/> must be new). A name another live runner uses is
    /// refused: `--drain NAME` must mean one runner (or one host). Rows of runners that ended long ago are deleted.
    /// </summary>
    public void RegisterRunner(RunnerRow runner) => Guard(() =>
    {
        using var db = NewContext();
        var now = DateTime.UtcNow;
        var holder = db.Runners.AsNoTracking().Where(r => r.Name == runner.Name && r.Id != runner.Id).ToList().FirstOrDefault(r => IsLive(r, now));
        if (holder is not null)
            throw new InvalidOperationException($"a live runner is already named '{runner.Name}' (on {holder.Host}, pid {holder.Pid}, " +
                $"heartbeat {(now - holder.HeartbeatAt).TotalSeconds:F0} s ago); give this one another --name");
        var cutoff = now - EndedRunnersKept;
        db.Runners.Where(r => (r.State == RunnerState.Stopped || r.State == RunnerState.Lost) && r.HeartbeatAt < cutoff).ExecuteDelete();
        if (db.Runners.Any(r => r.Id == runner.Id)) return 0; // a retry of this very insert whose answer was lost
        runner.StartedAt = runner.HeartbeatAt = now;
        runner.State = RunnerState.Running;
        db.Runners.Add(runner);
        return db.SaveChanges();
    });

    /// <summary>
    /// A runner's heartbeat: keeps it live and tells it what the store says of it. A Running runner asked to drain becomes
    /// Draining here. Lost (or gone): others took it as dead and may have re-queued its stages, so it must stop.
    /// </summary>
    public RunnerState RunnerHeartbeat(string id) => Guard(() =>
    {
        using var db = NewContext();
        var now = DateTime.UtcNow;
        db.Runners.Where(r => r.Id == id && (r.State == RunnerState.Running || r.State == RunnerState.Draining))
            .ExecuteUpdate(u => u.SetProperty(r => r.HeartbeatAt, now)
                .SetProperty(r => r.State, r => r.DrainRequested ? RunnerState.Draining : r.State));
        return db.Runners.Where(r => r.Id == id).Select(r => (RunnerState?)r.State).SingleOrDefault() ?? RunnerState.Lost;
    });

    /// <summary>A runner's last word as it exits cleanly (its stages were released just before).</summary>
    public void RunnerStopped(string id) => Guard(() =>
    {
        using var db = NewContext();
        var now = DateTime.UtcNow;
        return db.Runners.Where(r => r.Id == id && r.State != RunnerState.Lost)
            .ExecuteUpdate(u => u.SetProperty(r => r.State, RunnerState.Stopped).SetProperty(r => r.StoppedAt, now).SetProperty(r => r.HeartbeatAt, now));
    });

    /// <summary>
    /// Asks every live runner named <paramref name="nameOrHost"/> (its name, its id, or its host: every runner there) to
    /// drain; returns those asked.
    /// </summary>
    public IReadOnlyList<RunnerRow> RequestDrain(string nameOrHost) => Guard(() =>
    {
        using var db = NewContext();
        var now = DateTime.UtcNow;
        var matched = db.Runners.AsNoTracking().Where(r => r.Name == nameOrHost || r.Id == nameOrHost || r.Host == nameOrHost)
            .ToList().Where(r => IsLive(r, now)).ToList();
        foreach (var r in matched)
            db.Runners.Where(x => x.Id == r.Id).ExecuteUpdate(u => u.SetProperty(x => x.DrainRequested, true));
        return (IReadOnlyList<RunnerRow>)matched;
    });

    /// <summary>Runners with their current stages: the live ones, and with <paramref name="all"/> those that ended too (kept <see cref="EndedRunnersKept"/>).</summary>
    public IReadOnlyList<RunnerView> Runners(bool all = false) => Guard(() =>
    {
        using var db = NewContext();
        var now = DateTime.UtcNow;
        var rows = db.Runners.AsNoTracking().OrderBy(r => r.StartedAt).ToList().Where(r => all || IsLive(r, now)).ToList();
        var running = db.Stages.AsNoTracking().Where(s => s.Status == StageStatus.Running && s.Worker != null).OrderBy(s => s.StartedAt).ToList()
            .ToLookup(s => RunnerOf(s.Worker!), StringComparer.Ordinal);
        return (IReadOnlyList<RunnerView>)rows.Select(r => new RunnerView(r, running[r.Id].ToList())).ToList();
    });

    /// <summary>
    /// True when a live, undrained runner other than <paramref name="self"/> could take a stage with these needs now: it
    /// passes <see cref="Placement"/> and has a free slot (fewer running stages than devices × workers per device). A runner
    /// that fetched a job ahead keeps holding it while this is false: handing it back would only have it fetched again,
    /// by itself or another busy runner (a new job and a delivery per stage, bench/RESULTS.md "Issue 13").
    /// </summary>
    public bool AnotherRunnerIsFree(StageNeeds needs, string self) => Guard(() =>
    {
        using var db = NewContext();
        var now = DateTime.UtcNow;
        var others = TakingWork(db, now).Where(r => r.Id != self && Placement.Misfit(needs, RunnerOffer.Of(r)) is null).ToList();
        if (others.Count == 0) return false;
        var busy = db.Stages.AsNoTracking().Where(s => s.Status == StageStatus.Running && s.Worker != null).Select(s => s.Worker!).ToList()
            .GroupBy(RunnerOf, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return others.Any(r => busy.GetValueOrDefault(r.Id) + needs.Devices <= RunnerOffer.Of(r).Devices.Count * Math.Max(1, r.WorkersPerDevice));
    });

    /// <summary>Live runners (<see cref="IsLive"/>), without their stages.</summary>
    public IReadOnlyList<RunnerRow> LiveRunners() => Guard(() =>
    {
        using var db = NewContext();
        var now = DateTime.UtcNow;
        return (IReadOnlyList<RunnerRow>)db.Runners.AsNoTracking().OrderBy(r => r.StartedAt).ToList().Where(r => IsLive(r, now)).ToList();
    });

    /// <summary>The runners that take new work (<see cref="TakesWork"/>): the ones placement, parking and `status` ask about.</summary>
    public IReadOnlyList<RunnerRow> RunnersTakingWork() => Guard(() =>
    {
        using var db = NewContext();
        return (IReadOnlyList<RunnerRow>)TakingWork(db, DateTime.UtcNow);
    });

    private static List<RunnerRow> TakingWork(AblationsDbContext db, DateTime now) =>
        db.Runners.AsNoTracking().Where(r => r.State == RunnerState.Running && !r.DrainRequested).ToList().Where(r => TakesWork(r, now)).ToList();

    /// <summary>True once a live runner has missed its heartbeats for longer than its own stale-after.</summary>
    public static bool IsLate(RunnerRow r, DateTime now) =>
        r.State is RunnerState.Running or RunnerState.Draining && now - r.HeartbeatAt > TimeSpan.FromSeconds(r.StaleAfterSeconds);

    /// <summary>Live: running or draining, heartbeat on time (a name is taken, a drain can be asked, `ablate runners` lists it).</summary>
    public static bool IsLive(RunnerRow r, DateTime now) => r.State is RunnerState.Running or RunnerState.Draining && !IsLate(r, now);

    /// <summary>Takes new work: live, running and not asked to drain (a draining runner fetches nothing more).</summary>
    public static bool TakesWork(RunnerRow r, DateTime now) => r.State == RunnerState.Running && !r.DrainRequested && !IsLate(r, now);

    /// <summary>
    /// Part of every runner's sweep: live runners whose heartbeat is late become Lost (a runner never marks itself: a
    /// heartbeat its own busy process delayed is not a crash); returns the ids of runners that
    /// are Lost or Stopped, whose stages <see cref="RequeueAbandoned"/> then takes back without waiting for each stage's
    /// own heartbeat to go stale.
    /// </summary>
    internal static HashSet<string> MarkLostRunners(AblationsDbContext db, string? sweeper)
    {
        var now = DateTime.UtcNow;
        foreach (var late in db.Runners.AsNoTracking().Where(r => r.State == RunnerState.Running || r.State == RunnerState.Draining).ToList()
                     .Where(r => r.Id != sweeper && IsLate(r, now)))
            db.Runners.Where(r => r.Id == late.Id && r.HeartbeatAt == late.HeartbeatAt)
                .ExecuteUpdate(u => u.SetProperty(r => r.State, RunnerState.Lost).SetProperty(r => r.StoppedAt, now));
        return db.Runners.Where(r => r.State == RunnerState.Lost || r.State == RunnerState.Stopped).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The runner (registry id) a stage claim belongs to: claims are "runner-id:thread".</summary>
    public static string RunnerOf(string worker) => worker[..Math.Max(0, worker.LastIndexOf(':'))];

    /// <summary>What a stage needs of a runner (its placement), or null when there is no such stage.</summary>
    public StageNeeds? NeedsOf(string hash) => Guard(() =>
    {
        using var connection = Location.OpenPlainConnection();
        using var read = Command(connection, """SELECT "Queue", "Devices", "MemoryGb" FROM stages WHERE "Hash" = @hash""", ("hash", hash));
        using var reader = read.ExecuteReader();
        return reader.Read() ? new StageNeeds(reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetDouble(2)) : null;
    });

    /// <summary>
    /// A stage no live runner can take, fetched by one that cannot either: it stays Queued without a job (parked) until a
    /// runner that can take it starts and enqueues it (<see cref="Parked"/>); `status` says why it waits. False when the
    /// stage was no longer Queued and free (claimed or re-queued meanwhile).
    /// </summary>
    public bool Park(string hash) => Guard(() =>
    {
        using var db = NewContext();
        return db.Stages.Where(s => s.Hash == hash && s.Status == StageStatus.Queued && s.Worker == null)
            .ExecuteUpdate(u => u.SetProperty(s => s.JobId, (string?)null)) == 1;
    });

    /// <summary>Queued stages without a job (parked, or whose job a crashed process never made) on the given queues.</summary>
    public IReadOnlyList<(ReadyStage Stage, StageNeeds Needs)> Parked(IReadOnlyCollection<string> queues) => Guard(() =>
    {
        using var db = NewContext();
        return (IReadOnlyList<(ReadyStage, StageNeeds)>)db.Stages.AsNoTracking()
            .Where(s => s.Status == StageStatus.Queued && s.JobId == null && s.Worker == null && queues.Contains(s.Queue))
            .Select(s => new { s.Hash, s.Queue, s.Devices, s.MemoryGb }).ToList()
            .Select(s => (new ReadyStage(s.Hash, s.Queue), new StageNeeds(s.Queue, s.Devices, s.MemoryGb))).ToList();
    });
}
