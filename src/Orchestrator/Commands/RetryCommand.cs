using Ablations.Core.Store;
using Ablations.Core.Scheduling;
using Ablations.Queue;
using Spectre.Console;
using Spectre.Console.Cli;
using System.ComponentModel;

namespace Ablations.Orchestrator.Commands;

public sealed class RetryCommand : Command<RetryCommand.Settings>
{
    public sealed class Settings : ExperimentSettings
    {
        [CommandOption("--failed")]
        [Description("Only failed stages (default: failed and cancelled).")]
        public bool FailedOnly { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var workspace = settings.Workspace();
        var store = ResultsStore.Open(workspace.Store);
        var experiment = CommandHelpers.Find(store, settings.Experiment);
        if (experiment is null) return Cli.BadInput;
        var (reset, enqueued) = new StageScheduler(store, HangfireJobQueue.Of(workspace)).Retry(experiment.Id, settings.FailedOnly);
        AnsiConsole.MarkupLine($"retry [bold]{Markup.Escape(experiment.Name)}[/]: {reset} stage(s) reset, {enqueued} enqueued now; a runner (`ablate runner`) executes them");
        return Cli.Ok;
    }
}
