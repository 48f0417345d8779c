using Ablations.Core.Planning;
using Ablations.Core.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Core.Store;

public sealed partial class ResultsStore
{
    /// <summary>
    /// Persists the plan as the experiment's current revision. A spec, profile or plan that differs from the current
    /// revision's adds the next revision; an identical one keeps it. Runs are identified by their parameters, seed and
    /// whole stage chain, so a run whose chain is unchanged keeps its row and results, and a changed one becomes a new
    /// run linked to its new stages; the old one stays in the revisions that had it. New stages are stored Pending;
    /// stages that already succeeded (in any experiment) are reused; cancelled ones go back to Pending (a resumed run).
    /// </summary>
    public SubmitResult Submit(StagePlan plan, string codeVersion, string? gitCommit, string reportContextJson) => Guard(() =>
    {
        using var db = NewContext();
        using var tx = db.Database.BeginTransaction();
        var now = DateTime.UtcNow;
        var spec = plan.Spec;
        var experiment = db.Experiments.SingleOrDefault(e => e.Name == spec.Name);
        if (experiment is null)
        {
            experiment = new ExperimentRow { Name = spec.Name, CreatedAt = now };
            db.Experiments.Add(experiment);
        }
        experiment.UpdatedAt = now;
        experiment.CancelRequested = false;
        db.SaveChanges();

        var (newStages, reused) = StoreStages(db, plan, now);

        var current = db.Revisions.SingleOrDefault(r => r.ExperimentId == experiment.Id && r.Number == experiment.CurrentRevision);
        var specHash = JsonCanonical.Sha256(spec.SourceText);
        var planHash = plan.Hash;
        var isNew = !IsRevisionOf(current, plan);
        var previous = current is null
            ? new Dictionary<string, int>()
            : db.RevisionRuns.Where(rr => rr.RevisionId == current.Id).Select(rr => new { rr.Run!.CellKey, rr.RunId })
                .ToDictionary(x => x.CellKey, x => x.RunId);

        var (runRows, newRuns) = StoreRuns(db, experiment.Id, plan, now);

        var revision = current!;
        if (isNew)
        {
            revision = new RevisionRow
            {
                ExperimentId = experiment.Id, Number = experiment.CurrentRevision + 1, Description = spec.Description,
                SpecPath = spec.SourcePath, SpecText = spec.SourceText, SpecHash = specHash, Profile = spec.Profile, GitCommit = gitCommit,
                CodeVersion = codeVersion, PlanHash = planHash, ReportContextJson = reportContextJson, CreatedAt = now,
            };
            db.Revisions.Add(revision);
            db.SaveChanges();
            foreach (var run in runRows) db.RevisionRuns.Add(new RevisionRunRow { RevisionId = revision.Id, RunId = run.Id });
            experiment.CurrentRevision = revision.Number;
        }
        var planned = runRows.Select(r => r.Id).ToHashSet();
        db.Runs.Where(r => r.ExperimentId == experiment.Id && r.Active && !planned.Contains(r.Id)).ExecuteUpdate(u => u.SetProperty(r => r.Active, false));
        db.Runs.Where(r => planned.Contains(r.Id) && !r.Active).ExecuteUpdate(u => u.SetProperty(r => r.Active, true));
        db.SaveChanges();
        tx.Commit();
        KeepStatistics(db, newStages + newRuns);

        var cells = plan.Runs.Zip(runRows).ToDictionary(p => p.First.CellKey, p => p.Second.Id);
        var change = new RevisionChange(
            Added: cells.Keys.Count(k => !previous.ContainsKey(k)),
            Changed: cells.Count(c => previous.TryGetValue(c.Key, out var old) && old != c.Value),
            Unchanged: cells.Count(c => previous.TryGetValue(c.Key, out var old) && old == c.Value),
            Left: previous.Keys.Count(k => !cells.ContainsKey(k)));
        return new SubmitResult(experiment.Id, revision.Number, isNew, current is null ? null : change,
            plan.Runs.Count, newRuns, plan.Stages.Count, newStages, reused);
    });

    /// <summary>True when <paramref name="revision"/> was submitted from this plan: the same spec text, profile and plan.</summary>
    private static bool IsRevisionOf(RevisionRow? revision, StagePlan plan) =>
        revision is not null && IsRevisionOf(revision.SpecHash, revision.Profile, revision.PlanHash, plan);

    private static bool IsRevisionOf(string specHash, string? profile, string planHash, StagePlan plan) =>
        specHash == JsonCanonical.Sha256(plan.Spec.SourceText) && profile == plan.Spec.Profile && planHash == plan.Hash;

    /// <summary>
    /// What a submit of <paramref name="plan"/> would find when it is already the experiment's current revision with every
    /// stage its runs need finished (succeeded or failed; a cancelled one would be resumed), else null. `ablate run` asks
    /// before submitting, so it starts its runner alongside the submit whenever there will be work and not at all for a
    /// finished grid, and a no-op re-run writes nothing (<c>Submission.Submit</c> given the answer). Only a prediction about artifacts:
    /// they are checked after it, and a damaged one sends the run through the whole submit. Plain queries, no EF Core: a
    /// new or changed spec learns it is not settled without paying for EF Core's first query, so its runner starts ~0.3 s
    /// sooner, and a settled one without the submit's (issue 11).
    /// </summary>
    public SettledPlan? Settled(StagePlan plan) => Guard(() =>
    {
        using var connection = Location.OpenPlainConnection();
        using var revisionQuery = Query(connection, """
            SELECT r."ExperimentId", r."Number", r."SpecHash", r."Profile", r."PlanHash", e."CancelRequested" FROM experiments e
            JOIN revisions r ON r."ExperimentId" = e."Id" AND r."Number" = e."CurrentRevision" WHERE e."Name" = @p
            """, plan.Spec.Name);
        using var revision = revisionQuery.ExecuteReader();
        if (!revision.Read()) return null;
        var (experimentId, number) = (revision.GetInt32(0), revision.GetInt32(1));
        var cancelRequested = Convert.ToBoolean(revision.GetValue(5), System.Globalization.CultureInfo.InvariantCulture);
        if (!IsRevisionOf(revision.GetString(2), revision.IsDBNull(3) ? null : revision.GetString(3), revision.GetString(4), plan)) return null;
        revision.Close();
        using var statusQuery = Query(connection, """
            SELECT s."Status", count(*) FROM stages s WHERE s."Hash" IN (SELECT rs."StageHash" FROM run_stages rs
            JOIN runs r ON r."Id" = rs."RunId" WHERE r."ExperimentId" = @p AND r."Active") GROUP BY s."Status"
            """, experimentId);
        using var statuses = statusQuery.ExecuteReader();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        while (statuses.Read()) counts[statuses.GetString(0)] = Convert.ToInt32(statuses.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        var succeeded = counts.GetValueOrDefault(nameof(StageStatus.Succeeded));
        var finished = succeeded + counts.GetValueOrDefault(nameof(StageStatus.Failed));
        // Every stage of the plan, and all of them finished.
        return finished == plan.Stages.Count && counts.Values.Sum() == finished ? new SettledPlan(experimentId, number, cancelRequested, succeeded) : null;
    });

    private static System.Data.Common.DbCommand Query(System.Data.Common.DbConnection connection, string sql, object parameter) =>
        Command(connection, sql, ("p", parameter));

    /// <summary>Rows a submit adds before the planner's statistics of the stage tables are refreshed.</summary>
    internal const int StatisticsAfterRows = 500;

    /// <summary>
    /// Taking ready stages joins stages, run_stages, runs and stage_inputs. Without table statistics SQLite's planner
    /// chose a nested loop over them that made taking the first 64 ready stages of a 10,000-cell grid cost 64 s
    /// (bench/RESULTS.md, issue 11); with statistics the same query is linear. So a submit that added many rows, or
    /// after which the tables are twice what they were when last analysed, refreshes them, sampled (analysis_limit) so a large store stays cheap; PostgreSQL's autovacuum may
    /// run minutes later, so it is told too.
    /// </summary>
    private static void KeepStatistics(AblationsDbContext db, int added)
    {
        if (db.Database.IsNpgsql())
        {
            if (added >= StatisticsAfterRows) db.Database.ExecuteSqlRaw("ANALYZE stages, run_stages, runs, stage_inputs");
            return;
        }
        // sqlite_stat1's row for a table starts with the row count it was analysed at; none yet: 0.
        var hasStatistics = db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM sqlite_master WHERE name = 'sqlite_stat1'").Single() > 0;
        var analysed = hasStatistics && db.Database.SqlQueryRaw<string>(
            "SELECT stat AS \"Value\" FROM sqlite_stat1 WHERE tbl = 'run_stages' LIMIT 1").AsEnumerable().FirstOrDefault() is { } stat
            && long.TryParse(stat.Split(' ')[0], out var rows) ? rows : 0;
        var links = db.RunStages.LongCount();
        // Many rows at once, or a table that has doubled since it was analysed (many small submits).
        if (added > 0 && (added >= StatisticsAfterRows || links >= 2 * analysed))
            db.Database.ExecuteSqlRaw("PRAGMA analysis_limit = 1000; ANALYZE stages; ANALYZE run_stages; ANALYZE runs; ANALYZE stage_inputs;");
    }

    private static (int New, int Reused) StoreStages(AblationsDbContext db, StagePlan plan, DateTime now)
    {
        var hashes = plan.Stages.Select(s => s.Hash).ToList();
        var existing = db.Stages.Where(s => hashes.Contains(s.Hash)).ToDictionary(s => s.Hash);
        int newStages = 0, reused = 0;
        foreach (var stage in plan.Stages)
        {
            if (existing.TryGetValue(stage.Hash, out var row))
            {
                if (row.Status == StageStatus.Succeeded) reused++;
                if (row.Status == StageStatus.Cancelled) ResetForRetry(row);
                row.CodeVersion ??= stage.CodeVersion;
                Replace(row, stage);
                continue;
            }
            newStages++;
            db.Stages.Add(new StageRow
            {
                Hash = stage.Hash, Type = stage.Type, ConfigJson = JsonCanonical.Serialize(stage.Config),
                InputsJson = JsonCanonical.Serialize(stage.Inputs.ToDictionary(p => p.Key, p => (System.Text.Json.Nodes.JsonNode?)p.Value)),
                Queue = stage.Queue, Devices = stage.Devices, MemoryGb = stage.MemoryGb, CodeVersion = stage.CodeVersion,
                Status = StageStatus.Pending, CreatedAt = now,
            });
            foreach (var (role, input) in stage.Inputs)
                db.StageInputs.Add(new StageInputRow { StageHash = stage.Hash, InputHash = input, Role = role });
        }
        db.SaveChanges();
        return (newStages, reused);
    }

    /// <summary>
    /// A stage not started yet takes the placement the spec gives it now (queue, devices, memory): resubmitting with a fixed
    /// `resources:` moves a stage no runner could take. One queued on the old queue and not fetched goes back to Pending,
    /// so the submit enqueues it on the new one; its old job, when some runner fetches it, finds nothing to claim.
    /// </summary>
    private static void Replace(StageRow row, PlannedStage stage)
    {
        if (row.Status is not (StageStatus.Pending or StageStatus.Queued or StageStatus.Failed or StageStatus.Cancelled)) return;
        if (row.Status == StageStatus.Queued && row.Worker is not null) return; // fetched by a runner: it runs where it is
        if ((row.Queue, row.Devices, row.MemoryGb) == (stage.Queue, stage.Devices, stage.MemoryGb)) return;
        (row.Queue, row.Devices, row.MemoryGb) = (stage.Queue, stage.Devices, stage.MemoryGb);
        if (row.Status == StageStatus.Queued) row.Status = StageStatus.Pending;
    }

    /// <summary>The plan's runs as rows: found by run key, else created with their stage links. Returns them in plan order.</summary>
    private static (List<RunRow> Rows, int New) StoreRuns(AblationsDbContext db, int experimentId, StagePlan plan, DateTime now)
    {
        var runs = db.Runs.Where(r => r.ExperimentId == experimentId).ToDictionary(r => r.RunKey);
        AdoptLegacyRunKeys(db, runs, plan);
        var rows = new List<RunRow>(plan.Runs.Count);
        var newRuns = 0;
        foreach (var run in plan.Runs)
        {
            if (runs.TryGetValue(run.RunKey, out var row))
            {
                row.CellIndex = run.Cell.Index;
                row.IsBaseline = run.Cell.IsBaseline;
                rows.Add(row);
                continue;
            }
            newRuns++;
            row = new RunRow
            {
                ExperimentId = experimentId, RunKey = run.RunKey, CellKey = run.CellKey, CellIndex = run.Cell.Index,
                ParamsJson = JsonCanonical.Serialize(run.Params), Seed = run.Seed, IsBaseline = run.Cell.IsBaseline,
                TerminalStageHash = run.TerminalHash, CreatedAt = now, Active = true,
            };
            foreach (var (key, hash) in run.StageHashesByKey)
                row.Stages.Add(new RunStageRow { StageHash = hash, StageKey = key, IsTerminal = hash == run.TerminalHash });
            db.Runs.Add(row);
            runs[run.RunKey] = row;
            rows.Add(row);
        }
        db.SaveChanges();
        return (rows, newRuns);
    }

    /// <summary>
    /// Runs stored before run keys covered the stage chain have run key = cell key. One whose stored links are exactly
    /// the planned chain is the same computation: it takes the new run key instead of being stored a second time.
    /// </summary>
    private static void AdoptLegacyRunKeys(AblationsDbContext db, Dictionary<string, RunRow> runs, StagePlan plan)
    {
        var legacy = runs.Values.Where(r => r.RunKey == r.CellKey).ToDictionary(r => r.CellKey);
        if (legacy.Count == 0) return;
        var ids = legacy.Values.Select(r => r.Id).ToList();
        var links = db.RunStages.AsNoTracking().Where(l => ids.Contains(l.RunId)).ToList().GroupBy(l => l.RunId)
            .ToDictionary(g => g.Key, g => g.ToDictionary(l => l.StageKey, l => l.StageHash));
        foreach (var run in plan.Runs)
        {
            if (runs.ContainsKey(run.RunKey) || !legacy.TryGetValue(run.CellKey, out var row) || !links.TryGetValue(row.Id, out var stored)) continue;
            if (stored.Count != run.StageHashesByKey.Count || run.StageHashesByKey.Any(p => stored.GetValueOrDefault(p.Key) != p.Value)) continue;
            runs.Remove(row.RunKey);
            row.RunKey = run.RunKey;
            runs[row.RunKey] = row;
        }
    }
}
