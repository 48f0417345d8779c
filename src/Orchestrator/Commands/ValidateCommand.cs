using Ablations.Orchestrator.Scheduling;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Ablations.Orchestrator.Commands;

public sealed class ValidateCommand : Command<SpecSettings>
{
    public override int Execute(CommandContext context, SpecSettings settings, CancellationToken cancellationToken)
    {
        if (settings.LoadPlan() is not { } plan) return Cli.BadInput;
        AnsiConsole.MarkupLine($"[green]ok[/] {Markup.Escape(settings.File)}: experiment [bold]{Markup.Escape(plan.Spec.Name)}[/], " +
            $"{plan.Expansion.Cells.Count} cells × {plan.Spec.Seeds.Count} seeds = {plan.Runs.Count} runs, {plan.Stages.Count} unique stages");
        return Cli.Ok;
    }
}
