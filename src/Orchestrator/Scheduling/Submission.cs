using Ablations.Core.Artifacts;
using Ablations.Core.Planning;
using Ablations.Core.Results;
using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Ablations.Core.Scheduling;
using Ablations.Queue;
using System.Diagnostics;
using System.Reflection;

namespace Ablations.Orchestrator.Scheduling;

/// <summary>
/// Persists a plan, checks the artifacts of every stage it reuses (a damaged or missing one is invalidated, so it
/// recomputes instead of being used), and enqueues what can start now; also re-enqueues work a crashed process left
/// queued.
/// </summary>
public static class Submission
{
    public sealed record Result(SubmitResult Stored, int Enqueued, IReadOnlyList<ArtifactFinding> Repaired);

    public static Result Submit(Workspace workspace, ResultsStore store, StagePlan plan)
    {
        workspace.EnsureDirectories();
        var stored = store.Submit(plan, CodeVersion, GitCommit(Path.GetDirectoryName(Path.GetFullPath(plan.Spec.SourcePath))!),
            ReportContext.From(plan.Spec).ToJson());
        var reused = store.StagesOf(stored.ExperimentId).Where(s => s.Status == StageStatus.Succeeded).ToList();
        var repaired = new ArtifactVerifier(workspace, store).EnsureUsable(reused);
        var enqueued = new StageScheduler(store, HangfireJobQueue.Of(workspace)).Submitted(stored.ExperimentId);
        return new Result(stored, enqueued, repaired);
    }

    /// <summary>
    /// A re-run of a plan already settled (<see cref="ResultsStore.Settled"/>): the artifacts it reuses are checked as a
    /// submit checks them, and when all are usable nothing is written and the result is what the submit would have said,
    /// with the experiment's stages as read for the check. Null when the submit must run after all: an artifact was
    /// damaged or missing (invalidated now, so it recomputes; the findings are passed on), or a cancel is still requested
    /// (the submit lifts it).
    /// </summary>
    public static Result? Unchanged(Workspace workspace, ResultsStore store, StagePlan plan, SettledPlan settled,
        out IReadOnlyList<ArtifactFinding> repaired, out IReadOnlyList<StageRow> stages)
    {
        (repaired, stages) = ([], []);
        if (settled.CancelRequested) return null;
        stages = store.StagesOf(settled.ExperimentId);
        repaired = new ArtifactVerifier(workspace, store).EnsureUsable(stages.Where(s => s.Status == StageStatus.Succeeded));
        if (repaired.Count > 0) return null;
        var stored = new SubmitResult(settled.ExperimentId, settled.Revision, NewRevision: false,
            new RevisionChange(Added: 0, Changed: 0, Unchanged: plan.Runs.Count, Left: 0),
            plan.Runs.Count, NewRuns: 0, plan.Stages.Count, NewStages: 0, settled.Succeeded);
        return new Result(stored, Enqueued: 0, Repaired: []);
    }

    public static string CodeVersion =>
        typeof(Submission).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";

    /// <summary>The git commit of the spec's folder, if it is in a repository and git is installed.</summary>
    public static string? GitCommit(string dir)
    {
        try
        {
            var psi = new ProcessStartInfo("git", ["-C", dir, "rev-parse", "HEAD"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit(5000);
            return p.ExitCode == 0 && output.Length >= 7 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
