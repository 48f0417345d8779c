using Ablations.Core.Store;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Ablations.Orchestrator.Commands;

public sealed class CancelCommand : Command<ExperimentSettings>
{
    public override int Execute(CommandContext context, ExperimentSettings settings, CancellationToken cancellationToken)
    {
        var store = ResultsStore.Open(settings.Workspace().Store);
        var experiment = CommandHelpers.Find(store, settings.Experiment);
        if (experiment is null) return Cli.BadInput;
        var n = store.Cancel(experiment.Id);
        AnsiConsole.MarkupLine($"cancelled [bold]{Markup.Escape(experiment.Name)}[/]: {n} stage(s) stopped or dequeued; `ablate retry {Markup.Escape(experiment.Name)}` or `ablate run` resumes");
        return Cli.Ok;
    }
}
