using Ablations.Core.Store;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Ablations.Orchestrator.Commands;

/// <summary>The `ablate` command line. Exit codes: 0 ok, 1 some runs failed, 2 bad input, 3 store unavailable, 130 interrupted.</summary>
public static class Cli
{
    public const int Ok = 0, RunsFailed = 1, BadInput = 2, StoreUnavailable = 3, Interrupted = 130;

    public static int Run(string[] args)
    {
        // Redirected output (logs, CI) has no terminal width; Spectre would wrap tables at 80 columns.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;
        var app = new CommandApp();
        app.Configure(c =>
        {
            c.SetApplicationName("ablate");
            c.PropagateExceptions();
            c.AddCommand<ValidateCommand>("validate").WithDescription("Check spec files; every problem as file:line:col (exit 2 on any).");
            c.AddCommand<PlanCommand>("plan").WithDescription("Show cells, runs, unique and reused stages.");
            c.AddCommand<SubmitCommand>("submit").WithDescription("Store the experiment and enqueue its ready stages.");
            c.AddCommand<RunCommand>("run").WithDescription("Submit, run a local runner with live progress, then write the report.");
            c.AddCommand<RunnerCommand>("runner").WithDescription("Host a Hangfire server that executes stages.");
            c.AddCommand<RunnersCommand>("runners").WithDescription("List the runners registered in the store: host, devices, queues, state, and the stages each runs now.");
            c.AddCommand<StatusCommand>("status").WithDescription("Show experiments, or one experiment's stages and runs.");
            c.AddCommand<CancelCommand>("cancel").WithDescription("Cancel an experiment's waiting and running stages.");
            c.AddCommand<RetryCommand>("retry").WithDescription("Re-queue an experiment's failed (and cancelled) stages.");
            c.AddCommand<VerifyCommand>("verify").WithDescription("Hash every artifact against its manifest; --repair makes damaged or missing ones recompute.");
            c.AddCommand<ReportCommand>("report").WithDescription("Write reports/<experiment>/ from stored results.");
            c.AddCommand<ExportCommand>("export").WithDescription("Export runs and raw metrics as Parquet or CSV.");
            c.AddCommand<ExportDrCommand>("export-dr").WithDescription("Export a student's reinforced data (world pool, teachers' embeddings, synthetic captions) as DataCompDR shards.");
            c.AddCommand<ServeCommand>("serve").WithDescription("Web UI on 127.0.0.1:5000: experiments, live progress, runs with filters, reports, the Hangfire dashboard.");
        });
        try
        {
            return app.Run(args);
        }
        catch (StoreUnavailableException e)
        {
            Error(e.Message);
            return StoreUnavailable;
        }
        catch (CommandParseException e)
        {
            Error(e.Message);
            return BadInput;
        }
        catch (CommandRuntimeException e)
        {
            Error(e.Message);
            return BadInput;
        }
        catch (Scheduling.RunnerDiedException e)
        {
            Error(e.Message);
            return RunsFailed;
        }
    }

    /// <summary>stderr. Redirected (a log, CI, a supervising `ablate run`), a message stays one line however long: it is read by grep and by people.</summary>
    public static readonly IAnsiConsole Err = CreateErr();

    private static IAnsiConsole CreateErr()
    {
        var err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (Console.IsErrorRedirected) err.Profile.Width = 4096;
        return err;
    }

    public static void Error(string message) => Err.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
}
