using Ablations.Core.Results;
using Ablations.Core.Store;
using Ablations.Orchestrator.Output;
using Ablations.Orchestrator.Scheduling;
using Spectre.Console;
using Spectre.Console.Cli;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Ablations.Orchestrator.Commands;

/// <summary>
/// The embedded default: submit, supervise one local runner process, show live progress, write the report.
/// Ctrl-C stops cleanly (running stages go back to the queue); running the same command again resumes.
/// </summary>
public sealed class RunCommand : Command<RunCommand.Settings>
{
    public sealed class Settings : SpecSettings
    {
        [CommandOption("--threads <N>")]
        [Description("Torch threads each running stage may use (default: cores ÷ workers).")]
        public int Threads { get; init; }

        [CommandOption("--workers <N>")]
        [Description("Stages the local runner runs at once (default: 2 when there are 2 or more cores, else 1).")]
        public int Workers { get; init; }

        public override ValidationResult Validate() =>
            Threads < 0 ? ValidationResult.Error($"--threads {Threads}: give a positive thread count, or leave it out for cores ÷ workers")
            : Workers < 0 ? ValidationResult.Error($"--workers {Workers}: give a positive number of stages to run at once, or leave it out for the default")
            : !(StaleAfter > 2) ? ValidationResult.Error($"--stale-after {StaleAfter}: give the seconds without a heartbeat after which a running stage is re-queued, more than the runner's 2 s heartbeat (default 30)")
            : base.Validate();

        [CommandOption("--reports <DIR>")]
        [Description("Where reports go (default ./reports).")]
        public string Reports { get; init; } = "reports";

        [CommandOption("--stale-after <SECONDS>")]
        [Description("Re-queue a running stage whose worker stopped sending heartbeats for this long (default 30).")]
        public double StaleAfter { get; init; } = 30;
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var workspace = settings.Workspace();
        // EF Core builds its services and compiles each query the first time a process makes it (~0.25 s, issue 11): with a
        // store already there, that happens on another core while the spec is parsed and planned.
        if (workspace.Store.Exists) _ = Task.Run(() => ResultsStore.Warm(workspace.Store));
        if (settings.LoadPlanToSubmit() is not { } plan) return Cli.BadInput;
        var store = ResultsStore.Open(workspace.Store);

        using var interrupt = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; interrupt.Cancel(); };
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; interrupt.Cancel(); });

        // The runner takes ~1 s to start; started before the submit, it is ready when the first stage is enqueued. A grid
        // that is already finished as planned gets no runner at all (a no-op re-run), unless the submit finds work after all.
        var queues = plan.Stages.Select(s => s.Queue).Append("default").Distinct().ToList();
        var (workers, threads) = LocalParallelism(settings);
        RunnerSupervisor StartRunner() => new(
            () => LocalRunnerProcess.Start(workspace, queues, threads, workers, settings.StoreArgument, settings.StaleAfter),
            Path.Combine(workspace.LogsDir, "runner.log"),
            code => Cli.Err.MarkupLine($"[yellow]the local runner exited (code {code}); restarting it[/]"));
        var settled = store.Settled(plan);
        using var early = settled is null ? StartRunner() : null;

        // A finished grid re-run as planned writes nothing (its artifacts are still checked).
        var submitted = Submission.Submit(workspace, store, plan, settled);
        SubmitCommand.Print(plan.Spec.Name, submitted);
        var experimentId = submitted.Stored.ExperimentId;
        ExperimentProgress Snapshot() => new(store.StagesOf(experimentId));

        var progress = Snapshot();
        if (interrupt.IsCancellationRequested) return Interrupted(early); // Ctrl-C during the submit: what it stored stays
        if (progress.Finished)
        {
            early?.Current.RequestStop();
            return Finish(store, plan.Spec.Name, settings, workspace, progress);
        }
        using var late = early is null ? StartRunner() : null;
        var supervisor = early ?? late!;
        var warmReport = Task.Run(() => ReportPublisher.Warm(store, plan.Spec.Name));
        var clock = Stopwatch.StartNew();
        var startFraction = progress.Fraction;

        // Look at the store when the runner reports a finished stage (at most every 500 ms otherwise), but never spend
        // more than a third of the time reading it: a snapshot of a 10,000-stage grid is not free, and the runner needs the CPU.
        var nextLook = TimeSpan.Zero;
        ExperimentProgress Next()
        {
            var wait = nextLook - clock.Elapsed;
            if (wait > TimeSpan.Zero) interrupt.Token.WaitHandle.WaitOne(wait);
            WaitHandle.WaitAny([interrupt.Token.WaitHandle, supervisor.Current.Output], 500);
            supervisor.Check();
            var started = clock.Elapsed;
            var snapshot = Snapshot();
            nextLook = clock.Elapsed + 2 * (clock.Elapsed - started);
            return snapshot;
        }

        if (AnsiConsole.Profile.Capabilities.Interactive)
        {
            AnsiConsole.Live(ProgressView.Render(progress, clock.Elapsed, startFraction)).Start(live =>
            {
                while (!progress.Finished && !interrupt.IsCancellationRequested)
                {
                    progress = Next();
                    live.UpdateTarget(ProgressView.Render(progress, clock.Elapsed, startFraction));
                }
            });
        }
        else
        {
            var last = "";
            var lastPrint = TimeSpan.Zero;
            while (!progress.Finished && !interrupt.IsCancellationRequested)
            {
                progress = Next();
                var counts = $"{progress.Count(Core.Store.Entities.StageStatus.Succeeded)}/{progress.Count(Core.Store.Entities.StageStatus.Failed)}/{progress.Count(Core.Store.Entities.StageStatus.Running)}";
                if (counts != last || clock.Elapsed - lastPrint > TimeSpan.FromSeconds(10))
                {
                    Console.WriteLine(ProgressView.Summary(progress, clock.Elapsed, startFraction));
                    (last, lastPrint) = (counts, clock.Elapsed);
                }
            }
        }
        if (interrupt.IsCancellationRequested)
        {
            warmReport.Wait(TimeSpan.FromSeconds(10));
            return Interrupted(supervisor);
        }
        // Nothing is left to run: the runner stops while the report is written.
        supervisor.Current.RequestStop();
        warmReport.Wait(TimeSpan.FromSeconds(10)); // its throwaway folder deleted before this process ends
        return Finish(store, plan.Spec.Name, settings, workspace, progress);
    }

    /// <summary>Stops the runner (its running stages go back to the queue) and says how to resume.</summary>
    private static int Interrupted(RunnerSupervisor? runner)
    {
        runner?.Current.Stop(TimeSpan.FromSeconds(30));
        Cli.Err.MarkupLine($"[yellow]interrupted.[/] Finished stages are kept; run the same command again to resume.");
        return Cli.Interrupted;
    }

    /// <summary>
    /// Two stages at once with half the cores each, unless told otherwise: the models of an ablation grid are
    /// small, and libtorch spreads one small step over many threads poorly (measured in bench/RESULTS.md).
    /// Torch threads are process-wide, so the runner's workers share them.
    /// </summary>
    internal static (int Workers, int Threads) LocalParallelism(Settings settings)
    {
        var cores = Environment.ProcessorCount;
        var workers = settings.Workers > 0 ? settings.Workers : Math.Min(2, cores);
        var threads = settings.Threads > 0 ? settings.Threads : Math.Max(1, cores / workers);
        return (workers, threads);
    }

    private static int Finish(ResultsStore store, string experiment, Settings settings, Workspace workspace, ExperimentProgress progress)
    {
        foreach (var s in progress.Stages.Where(s => s.FailedItself))
            Cli.Err.MarkupLine($"[red]stage {s.Type} {s.Hash[..12]} failed[/] ({Markup.Escape(s.FailureKind ?? "")}): {Markup.Escape(s.Error ?? "")}\n  log: {Markup.Escape(Path.Combine(workspace.LogsDir, s.Hash + ".log"))}");
        var results = ResultsReader.Load(store, experiment);
        ResultsConsole.Print(results);
        // A cut plan (--until) names no metric: its report tables every headline metric its runs end with (kd_targets:
        // entropy, top1_gt, agreement), not only the first in name order.
        var report = ReportPublisher.Write(results, settings.Reports, settings.Until is null ? null : ResultsConsole.HeadlineMetrics(results, 8));
        foreach (var e in report.Outcome.Errors) Cli.Err.MarkupLine($"[yellow]report: {Markup.Escape(e)}[/]");
        if (report.Outcome.Succeeded)
        {
            AnsiConsole.MarkupLine($"report: [link]{Markup.Escape(Path.Combine(report.Directory, "index.html"))}[/]");
            if (report.ClaimsLine is { } claims) AnsiConsole.MarkupLine(Markup.Escape(claims));
        }
        return results.Runs.All(r => r.Status == RunStatuses.Succeeded) ? Cli.Ok : Cli.RunsFailed;
    }
}
