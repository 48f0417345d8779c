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

        [CommandOption("--revision <N>")]
        [Description("Show revision N of the experiment instead of the current one.")]
        public int? Revision { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var store = ResultsStore.Open(settings.Workspace().Store);
        if (settings.Experiment is null)
        {
            var table = new Table().AddColumns("experiment", "revision", "runs", "stages", "done", "failed", "updated");
            foreach (var e in store.ListExperiments())
            {
                var p = new ExperimentProgress(store.StagesOf(e.Id));
                var runs = ResultsReader.Load(store, e.Name).Runs.Count;
                table.AddRow(Markup.Escape(e.Name), e.CurrentRevision.ToString(), runs.ToString(), p.Total.ToString(), p.Count(StageStatus.Succeeded).ToString(),
                    p.Count(StageStatus.Failed).ToString(), e.UpdatedAt.ToString("u"));
            }
            AnsiConsole.Write(table);
            return Cli.Ok;
        }
        var experiment = CommandHelpers.Find(store, settings.Experiment);
        if (experiment is null) return Cli.BadInput;
        var revision = CommandHelpers.FindRevision(store, experiment, settings.Revision);
        if (revision is null) return Cli.BadInput;
        var results = ResultsReader.Load(store, experiment.Name, revision.Number);
        AnsiConsole.MarkupLine(Markup.Escape($"{experiment.Name}: {results.Revision!.Describe()}, submitted {revision.CreatedAt:u} from {revision.SpecPath}"));
        var history = store.Revisions(experiment.Id);
        if (history.Count > 1)
        {
            var revisions = new Table().AddColumns("revision", "submitted", "spec sha256", "profile", "runs");
            foreach (var (r, runs) in history)
                revisions.AddRow(r.Number == revision.Number ? $"[bold]{r.Number}[/]" : r.Number.ToString(), r.CreatedAt.ToString("u"), r.SpecHash[..12],
                    Markup.Escape(r.Profile ?? ""), runs.ToString());
            AnsiConsole.Write(revisions);
        }
        var progress = new ExperimentProgress(store.StagesOfRevision(revision.Id));
        AnsiConsole.WriteLine(ProgressView.Summary(progress, DateTime.UtcNow - experiment.UpdatedAt));
        var runners = store.Runners(all: true);
        var live = runners.Select(r => r.Runner).Where(r => ResultsStore.TakesWork(r, DateTime.UtcNow)).ToList();
        var where = new Placing(runners.ToDictionary(r => r.Runner.Id, r => r.Runner), live);
        var stages = new Table().AddColumns("stage", "type", "hash", "status", "attempts", "seconds", "runner", "detail");
        // Stages are listed by the names their runs give them (a spec's own stage names, "teacher:dfn_a"), with their type.
        var keys = store.StageKeysOfRevision(revision.Id);
        foreach (var s in progress.Stages.OrderBy(s => s.CreatedAt))
            stages.AddRow(Markup.Escape(keys.GetValueOrDefault(s.Hash, s.Type)), s.Type, s.Hash[..12], s.Status.ToString().ToLowerInvariant(), s.Attempts.ToString(),
                s.DurationSeconds?.ToString("F1") ?? "", Markup.Escape(where.RunnerName(s)), Markup.Escape(Detail(s, where)));
        AnsiConsole.Write(stages);
        var waiting = progress.Stages.Where(s => s.Status == StageStatus.Queued && s.Worker is null).ToList();
        var unplaced = waiting.Count(s => where.NobodyCanTake(s) is not null);
        if (unplaced > 0)
            Cli.Error($"{unplaced} queued stage(s) wait for a runner that no live runner is: see 'detail' above; start one that can take them, or change resources: and submit again");
        ResultsConsole.Print(results);
        return Cli.Ok;
    }

    /// <summary>
    /// A failure's reason, a running stage's phase, a queued stage fetched ahead, a queued stage no live runner can take
    /// (and why), or that the runner holding a stage is gone.
    /// </summary>
    private static string Detail(StageRow s, Placing where) => s.Status switch
    {
        StageStatus.Failed => $"{s.FailureKind}: {ProgressView.FirstLine(s.Error)}",
        StageStatus.Running or StageStatus.Queued when s.Worker is { } w && Runner.Hosting.WorkerId.IsDeadOnThisHost(w) =>
            "its runner process is gone; re-queued when a runner starts (`ablate run` or `ablate runner`)",
        StageStatus.Running or StageStatus.Queued when s.Worker is { } w && where.RunnerGone(w) =>
            "its runner is lost or stopped (`ablate runners --all`); re-queued by the next sweep of a live runner",
        StageStatus.Queued when s.Worker is not null => "fetched by a runner, waiting for a free worker",
        StageStatus.Queued when where.NobodyCanTake(s) is { } why => why,
        _ => s.Phase ?? "",
    };

    /// <summary>The registry as `status` reads it: who holds a stage, and whether any live runner could take a waiting one.</summary>
    private sealed class Placing(IReadOnlyDictionary<string, RunnerRow> byId, IReadOnlyList<RunnerRow> live)
    {
        public string RunnerName(StageRow s) =>
            s.Status is StageStatus.Running or StageStatus.Queued && s.Worker is { } w
                ? byId.TryGetValue(ResultsStore.RunnerOf(w), out var r) ? r.Name : ResultsStore.RunnerOf(w)
                : "";

        public bool RunnerGone(string worker) =>
            byId.TryGetValue(ResultsStore.RunnerOf(worker), out var r) && (r.State is RunnerState.Lost or RunnerState.Stopped || ResultsStore.IsLate(r, DateTime.UtcNow));

        public string? NobodyCanTake(StageRow s) =>
            Core.Scheduling.Placement.NobodyCanTake(new Core.Scheduling.StageNeeds(s.Queue, s.Devices, s.MemoryGb), live);
    }
}
