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
        if (settings.LoadPlan() is not { } plan) return Cli.BadInput;
        var workspace = settings.Workspace();
        var store = ResultsStore.Open(workspace.Store);
        var result = Submission.Submit(workspace, store, plan);
        Print(plan.Spec.Name, result);
        return Cli.Ok;
    }

    public static void Print(string experiment, Submission.Result r) =>
        AnsiConsole.MarkupLine($"submitted [bold]{Markup.Escape(experiment)}[/]: {r.Stored.Runs} runs ({r.Stored.NewRuns} new), " +
            $"{r.Stored.Stages} unique stages ({r.Stored.NewStages} new, {r.Stored.ReusedStages} already done), {r.Enqueued} enqueued now");
}
