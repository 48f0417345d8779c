using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Ablations.Orchestrator.Output;
using Spectre.Console;
using Spectre.Console.Cli;
using System.ComponentModel;

namespace Ablations.Orchestrator.Commands;

public sealed class StatusCommand : Command<StatusCommand.Settings>
{
    public sealed class Settings : StoreSettings
    {
        [CommandArgument(0, "[EXPERIMENT]")]
        [Description("An experiment; without it, all experiments are listed.")]
        public string? Experiment { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var store = ResultsStore.Open(settings.Workspace().Store);
        if (settings.Experiment is null)
        {
            var table = new Table().AddColumns("experiment", "runs", "stages", "done", "failed", "updated");
            foreach (var e in store.ListExperiments())
            {
                var p = new ExperimentProgress(store.StagesOf(e.Id));
                var runs = ResultsReader.Load(store, e.Name).Runs.Count;
                table.AddRow(Markup.Escape(e.Name), runs.ToString(), p.Total.ToString(), p.Count(StageStatus.Succeeded).ToString(),
                    p.Count(StageStatus.Failed).ToString(), e.UpdatedAt.ToString("u"));
            }
            AnsiConsole.Write(table);
            return Cli.Ok;
        }
        var experiment = CommandHelpers.Find(store, settings.Experiment);
        if (experiment is null) return Cli.BadInput;
        var progress = new ExperimentProgress(store.StagesOf(experiment.Id));
        AnsiConsole.WriteLine(ProgressView.Summary(progress, DateTime.UtcNow - experiment.UpdatedAt));
        var stages = new Table().AddColumns("stage", "hash", "status", "attempts", "seconds", "detail");
        foreach (var s in progress.Stages.OrderBy(s => s.CreatedAt))
            stages.AddRow(s.Type, s.Hash[..12], s.Status.ToString().ToLowerInvariant(), s.Attempts.ToString(),
                s.DurationSeconds?.ToString("F1") ?? "", Markup.Escape(s.Status == StageStatus.Failed ? $"{s.FailureKind}: {ProgressView.FirstLine(s.Error)}" : s.Phase ?? ""));
        AnsiConsole.Write(stages);
        ResultsConsole.Print(ResultsReader.Load(store, experiment.Name));
        return Cli.Ok;
    }
}
