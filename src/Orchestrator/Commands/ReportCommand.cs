using Ablations.Core.Store;
using Ablations.Orchestrator.Scheduling;
using Spectre.Console;
using Spectre.Console.Cli;
using System.ComponentModel;

namespace Ablations.Orchestrator.Commands;

public sealed class ReportCommand : Command<ReportCommand.Settings>
{
    public sealed class Settings : ExperimentSettings
    {
        [CommandOption("--out <DIR>")]
        [Description("Reports folder (default ./reports); the report goes to <DIR>/<experiment>/.")]
        public string Out { get; init; } = "reports";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var store = ResultsStore.Open(settings.Workspace().Store);
        var experiment = CommandHelpers.Find(store, settings.Experiment);
        if (experiment is null) return Cli.BadInput;
        var dir = ReportPublisher.Write(store, experiment.Name, settings.Out);
        AnsiConsole.MarkupLine($"report: {Markup.Escape(Path.GetFullPath(dir))}");
        return Cli.Ok;
    }
}
