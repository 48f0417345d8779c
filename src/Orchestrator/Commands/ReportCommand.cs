using Ablations.Core.Store;
using Ablations.Orchestrator.Scheduling;
using Spectre.Console;
using Spectre.Console.Cli;
using System.ComponentModel;

namespace Ablations.Orchestrator.Commands;

public sealed class ReportCommand : Command<ReportCommand.Settings>
{
    public sealed class Settings : ExperimentRevisionSettings
    {
        [CommandOption("--out <DIR>")]
        [Description("Reports folder (default ./reports); the report goes to <DIR>/<experiment>/ (an older --revision N to <DIR>/<experiment>.revision-N/).")]
        public string Out { get; init; } = "reports";

        [CommandOption("--metric <NAMES>")]
        [Description("Comma-separated metrics to summarise; the first drives figures (default: the spec's metric).")]
        public string? Metric { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var store = ResultsStore.Open(settings.Workspace().Store);
        var experiment = CommandHelpers.Find(store, settings.Experiment);
        if (experiment is null || CommandHelpers.FindRevision(store, experiment, settings.Revision) is null) return Cli.BadInput;
        var metrics = settings.Metric?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var report = ReportPublisher.Write(store, experiment.Name, settings.Out, metrics, settings.Revision);
        if (!report.Outcome.Succeeded)
        {
            foreach (var e in report.Outcome.Errors) Cli.Error(e);
            return Cli.BadInput;
        }
        AnsiConsole.MarkupLine($"report: {Markup.Escape(Path.Combine(report.Directory, "index.html"))} ({report.Outcome.Files.Count} files)");
        if (report.ClaimsLine is { } claims) AnsiConsole.MarkupLine(Markup.Escape(claims));
        return Cli.Ok;
    }
}
