using Ablations.Core.Store;
using Ablations.Orchestrator.Scheduling;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Ablations.Orchestrator.Commands;

/// <summary>Stores the experiment and enqueues its ready stages; runners (`ablate runner`) do the rest.</summary>
public sealed class SubmitCommand : Command<SpecSettings>
{
    public override int Execute(CommandContext context, SpecSettings settings, CancellationToken cancellationToken)
    {
        if (settings.LoadPlanToSubmit() is not { } plan) return Cli.BadInput;
        var workspace = settings.Workspace();
        var store = ResultsStore.Open(workspace.Store);
        var result = Submission.Submit(workspace, store, plan);
        Print(plan.Spec.Name, result);
        return Cli.Ok;
    }

    public static void Print(string experiment, Submission.Result r)
    {
        var s = r.Stored;
        var revision = !s.NewRevision ? $"revision {s.Revision} (unchanged)"
            : s.Change is not { } c ? $"revision {s.Revision}"
            : $"revision {s.Revision} (new: {c.Added} run(s) added, {c.Changed} changed, {c.Unchanged} unchanged, {c.Left} left the grid)";
        AnsiConsole.MarkupLine($"submitted [bold]{Markup.Escape(experiment)}[/] {revision}: {s.Runs} runs ({s.NewRuns} new), " +
            $"{s.Stages} unique stages ({s.NewStages} new, {s.ReusedStages} already done), {r.Enqueued} enqueued now");
        foreach (var finding in r.Repaired)
            Cli.Err.MarkupLine($"[yellow]artifact of {Markup.Escape(finding.Kind)} {finding.Hash[..12]} is {finding.State.ToString().ToLowerInvariant()}[/]: " +
                $"{Markup.Escape(finding.Describe())}; it is not used and recomputes");
    }
}
