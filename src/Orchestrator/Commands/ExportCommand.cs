using Ablations.Core.Store;
using Ablations.Reports.Export;
using Spectre.Console;
using Spectre.Console.Cli;
using System.ComponentModel;

namespace Ablations.Orchestrator.Commands;

/// <summary>Exports one row per run (parameters + final metrics) and every raw metric point, as Parquet or CSV.</summary>
public sealed class ExportCommand : Command<ExportCommand.Settings>
{
    public sealed class Settings : ExperimentRevisionSettings
    {
        [CommandOption("--format <FORMAT>")]
        [Description("parquet (default) or csv.")]
        public string Format { get; init; } = "parquet";

        [CommandOption("--out <DIR>")]
        [Description("Output folder (default ./exports/<experiment>, or ./exports/<experiment>.revision-N for an older --revision N).")]
        public string? Out { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (MetricsExporter.ParseFormat(settings.Format) is not { } format)
        {
            Cli.Error($"--format: unknown format '{settings.Format}'; use parquet or csv");
            return Cli.BadInput;
        }
        var store = ResultsStore.Open(settings.Workspace().Store);
        var experiment = CommandHelpers.Find(store, settings.Experiment);
        if (experiment is null || CommandHelpers.FindRevision(store, experiment, settings.Revision) is null) return Cli.BadInput;
        var results = ResultsReader.Load(store, experiment.Name, settings.Revision);
        var dir = Path.GetFullPath(settings.Out ?? Path.Combine("exports", results.Revision!.FolderFor(experiment.Name)));
        var ext = format == MetricsExportFormat.Csv ? "csv" : "parquet";
        var table = ResultsTable.Build(results);
        var runsPath = Path.Combine(dir, $"runs.{ext}");
        if (format == MetricsExportFormat.Csv) AtomicFile.WriteText(runsPath, table.ToCsv());
        else AtomicFile.WriteAsync(runsPath, s => table.WriteParquetAsync(s, rowGroupSize: 50_000)).GetAwaiter().GetResult();
        var metricsPath = Path.Combine(dir, $"metrics.{ext}");
        MetricsExporter.Export(results, metricsPath, format);
        AnsiConsole.MarkupLine($"exported {results.Runs.Count} runs of {Markup.Escape(results.Revision!.Describe())} to {Markup.Escape(runsPath)} and their metric points to {Markup.Escape(metricsPath)}");
        return Cli.Ok;
    }
}
