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

    /// <summary>
    /// Submits <paramref name="plan"/>. Given <paramref name="settled"/> (<see cref="ResultsStore.Settled"/>: the plan is the
    /// current revision and finished), it checks the reused artifacts first and, when all are usable and no cancel is
    /// pending, writes nothing and answers what the submit would have: a no-op re-run skips EF Core's submit (issue 11).
    /// A damaged or missing artifact found there (invalidated, so it recomputes) sends it through the whole submit.
    /// </summary>
    public static Result Submit(Workspace workspace, ResultsStore store, StagePlan plan, SettledPlan? settled = null)
    {
        IReadOnlyList<ArtifactFinding> repairedFirst = [];
        if (settled is { CancelRequested: false })
        {
            repairedFirst = CheckReused(workspace, store, settled.ExperimentId);
            if (repairedFirst.Count == 0)
                return new Result(new SubmitResult(settled.ExperimentId, settled.Revision, NewRevision: false,
                    new RevisionChange(Added: 0, Changed: 0, Unchanged: plan.Runs.Count, Left: 0),
                    plan.Runs.Count, NewRuns: 0, plan.Stages.Count, NewStages: 0, settled.Succeeded), Enqueued: 0, Repaired: []);
        }
        workspace.EnsureDirectories();
        var stored = store.Submit(plan, CodeVersion, GitCommit(Path.GetDirectoryName(Path.GetFullPath(plan.Spec.SourcePath))!),
            ReportContext.From(plan.Spec).ToJson());
        var repaired = CheckReused(workspace, store, stored.ExperimentId);
        var enqueued = new StageScheduler(store, HangfireJobQueue.Of(workspace)).Submitted(stored.ExperimentId);
        return new Result(stored, enqueued, [.. repairedFirst, .. repaired]);
    }

    /// <summary>The artifacts of the experiment's succeeded stages, checked; a damaged or missing one is invalidated (it recomputes).</summary>
    private static IReadOnlyList<ArtifactFinding> CheckReused(Workspace workspace, ResultsStore store, int experimentId) =>
        new ArtifactVerifier(workspace, store).EnsureUsable(store.StagesOf(experimentId).Where(s => s.Status == StageStatus.Succeeded));

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
