using Spectre.Console;
using Spectre.Console.Cli;
using System.ComponentModel;

namespace Ablations.Orchestrator.Commands;

/// <summary>Checks spec files without running anything: every problem of every file at once, exit 2 if any file has one.</summary>
public sealed class ValidateCommand : Command<ValidateCommand.Settings>
{
    public sealed class Settings : SpecOptions
    {
        [CommandArgument(0, "<FILES>")]
        [Description("The experiment specs (YAML), e.g. experiments/*.yaml.")]
        public string[] Files { get; init; } = [];
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var bad = 0;
        foreach (var file in settings.Files)
        {
            if (settings.LoadPlan(file) is not { } plan)
            {
                bad++;
                continue;
            }
            AnsiConsole.MarkupLine($"[green]ok[/] {Markup.Escape(file)}: experiment [bold]{Markup.Escape(plan.Spec.Name)}[/], " +
                $"{plan.Expansion.Cells.Count} cells × {plan.Spec.Seeds.Count} seeds = {plan.Runs.Count} runs, {plan.Stages.Count} unique stages");
        }
        if (settings.Files.Length > 1 && bad > 0) Console.Error.WriteLine($"{bad} of {settings.Files.Length} files have problems");
        return bad > 0 ? Cli.BadInput : Cli.Ok;
    }
}
