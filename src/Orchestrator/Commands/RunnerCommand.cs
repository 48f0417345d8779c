using Ablations.Core.Store;
using Spectre.Console;
using Ablations.Queue;
using Ablations.Runner.Hosting;
using Spectre.Console.Cli;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Ablations.Orchestrator.Commands;

/// <summary>
/// Hosts the Hangfire server that executes stages, until Ctrl-C / SIGTERM (or, when supervised by `ablate run`,
/// until its standard input closes). With the SQLite job store run ONE runner per workspace; use --db postgres://
/// for several runner processes or nodes.
/// </summary>
public sealed class RunnerCommand : Command<RunnerCommand.Settings>
{
    public sealed class Settings : StoreSettings
    {
        [CommandOption("--queues <LIST>")]
        [Description("Comma-separated Hangfire queues to take jobs from (default: default).")]
        public string Queues { get; init; } = "default";

        [CommandOption("--name <NAME>")]
        [Description("What `ablate runners` and `--drain` call this runner (default host:pid); no two live runners share one.")]
        public string? Name { get; init; }

        [CommandOption("--memory <GIB>")]
        [Description("GiB a stage may use on each device, for placement: stages whose resources ask for more (memory_gb) are left to other runners.")]
        public double? Memory { get; init; }

        [CommandOption("--drain <NAME>")]
        [Description("Do not run a runner: ask the live runner NAME (its name, or a host: every runner there) to drain, i.e. take no new work, put its running stages back in the queue (training checkpoints first) and exit 0.")]
        public string? Drain { get; init; }

        [CommandOption("--devices <LIST>")]
        [Description("Devices to run stages on: cpu, or CUDA indices like 0,1 (default: cpu); --workers stages at once on each.")]
        public string Devices { get; init; } = "cpu";

        [CommandOption("--threads <N>")]
        [Description("Torch threads each running stage may use (default: all cores).")]
        public int Threads { get; init; }

        [CommandOption("--workers <N>")]
        [Description("Stages run at once per device (default 1). On CPU pair it with --threads: e.g. --workers 2 --threads 4 on 8 cores.")]
        public int Workers { get; init; } = 1;

        [CommandOption("--prefetch <N>")]
        [Description("Jobs fetched ahead while every worker is busy, so the next stage starts the moment one ends (default 1; 0 fetches only for a free worker). A job held this way goes back to the queue after --prefetch-hold.")]
        public int Prefetch { get; init; } = 1;

        [CommandOption("--prefetch-hold <SECONDS>")]
        [Description("While a job fetched ahead waits for a free worker: every this many seconds it asks whether another runner that could take it has a free slot, and if one has, goes back to the queue for it (default 1).")]
        public double PrefetchHold { get; init; } = 1;

        public override ValidationResult Validate() =>
            Prefetch < 0 ? ValidationResult.Error($"--prefetch {Prefetch}: give the number of jobs to fetch ahead, 0 or more (default 1)")
            : !(PrefetchHold >= 0) ? ValidationResult.Error($"--prefetch-hold {PrefetchHold}: give how often, in seconds, a fetched-ahead job asks whether another runner is free, 0 or more (default 1)")
            : Threads < 0 ? ValidationResult.Error($"--threads {Threads}: give a positive thread count, or leave it out for all cores")
            : Workers < 1 ? ValidationResult.Error($"--workers {Workers}: give the number of stages to run at once per device, 1 or more")
            : !(Heartbeat > 0) ? ValidationResult.Error($"--heartbeat {Heartbeat}: give a positive interval in seconds (default 2)")
            : !(StaleAfter > Heartbeat) ? ValidationResult.Error($"--stale-after {StaleAfter}: must exceed --heartbeat {Heartbeat}, or every running stage would look abandoned (default 30)")
            : Memory is { } m && !(m > 0) ? ValidationResult.Error($"--memory {m}: give the GiB a stage may use on each device, more than 0")
            : Name is { } n && (n.Length == 0 || n.Any(char.IsWhiteSpace)) ? ValidationResult.Error($"--name '{n}': give a name without spaces, e.g. gpu-node-3")
            : !(StoreRetry >= 0) ? ValidationResult.Error($"--store-retry {StoreRetry}: give the seconds to keep retrying an unreachable store, 0 or more (default 600)")
            : base.Validate();

        [CommandOption("--stale-after <SECONDS>")]
        [Description("Take a runner (and its stages) as lost once it has sent no heartbeat for this long, and re-queue its stages for others (default 30). Lower means faster takeover after a crash, but a runner whose store stalls that long loses its stages; see docs/cluster.md.")]
        public double StaleAfter { get; init; } = 30;

        [CommandOption("--heartbeat <SECONDS>")]
        [Description("Heartbeat interval of running stages (default 2).")]
        public double Heartbeat { get; init; } = 2;

        [CommandOption("--store-retry <SECONDS>")]
        [Description("How long a runner keeps retrying a results store that is briefly unreachable (a PostgreSQL restart) before it stops with exit 3 (default 600).")]
        public double StoreRetry { get; init; } = 600;

        [CommandOption("--supervised")]
        [Description("Stop when standard input closes (used by `ablate run`).")]
        public bool Supervised { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Drain is { } drain) return RequestDrain(settings, drain);
        var workspace = settings.Workspace();
        workspace = workspace with { Store = workspace.Store with { RetryFor = TimeSpan.FromSeconds(settings.StoreRetry) } };
        var runnerSettings = new RunnerSettings
        {
            Name = settings.Name,
            MemoryGb = settings.Memory,
            Queues = Split(settings.Queues),
            Devices = Split(settings.Devices).Select(d => d == "cpu" || d.StartsWith("cuda", StringComparison.Ordinal) ? d : $"cuda:{d}").ToList(),
            Threads = settings.Threads,
            WorkersPerDevice = settings.Workers,
            Prefetch = settings.Prefetch,
            PrefetchHold = TimeSpan.FromSeconds(settings.PrefetchHold),
            StaleAfter = TimeSpan.FromSeconds(settings.StaleAfter),
            Heartbeat = TimeSpan.FromSeconds(settings.Heartbeat),
        };
        if (Runner.Modeling.TorchRuntime.Unusable(runnerSettings.Devices) is { } unusable)
        {
            Cli.Error(unusable);
            return Cli.BadInput;
        }
        // Programs of command stages then start directly in this session, out of any terminal's reach (ProcessGroup).
        Runner.Stages.ProcessGroup.LeadOwnSession();
        using var stop = new ManualResetEventSlim();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Set(); };
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Set(); });
        if (settings.Supervised)
            new Thread(() => { try { while (Console.In.Read() >= 0) { } } catch (IOException) { } stop.Set(); }) { IsBackground = true }.Start();

        Exception? lost = null;
        RunnerHost started;
        try
        {
            started = new RunnerHost(workspace, runnerSettings, HangfireJobQueue.Of(workspace));
        }
        catch (InvalidOperationException e) when (e.Message.Contains("--name", StringComparison.Ordinal))
        {
            Cli.Error(e.Message);
            return Cli.BadInput;
        }
        var drained = false;
        using (var host = started)
        {
            host.DrainRequested += () => { drained = true; stop.Set(); };
            host.Host.StageParked += (hash, why) => Console.WriteLine($"runner: stage {hash[..12]} parked: {why}");
            host.Host.StageEnded += (hash, status) => Console.WriteLine($"runner: stage {hash[..12]} {status.ToString().ToLowerInvariant()}");
            host.Host.MustStop += e => { Interlocked.CompareExchange(ref lost, e, null); stop.Set(); };
            Console.WriteLine($"runner: {host.Host.WorkerName} on queues {string.Join(",", runnerSettings.Queues)}, devices {string.Join(",", runnerSettings.Devices)} × {runnerSettings.WorkersPerDevice} worker(s), torch threads {(runnerSettings.Threads > 0 ? runnerSettings.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture) : "all cores")} (when a stage needs torch), store {workspace.Store.Display}");
            stop.Wait();
            Console.WriteLine(lost is not null ? "runner: stopping: this runner cannot go on"
                : drained ? "runner: draining (asked through the store); running stages go back to the queue"
                : "runner: stopping; running stages go back to the queue");
        }
        if (lost is not null)
        {
            Cli.Error(lost.Message);
            return Cli.StoreUnavailable;
        }
        return Cli.Ok;
    }

    /// <summary>`--drain NAME`: flags the runners so named (or on that host) in the store; each drains at its next heartbeat.</summary>
    private static int RequestDrain(Settings settings, string name)
    {
        var store = ResultsStore.Open(settings.Workspace().Store);
        var asked = store.RequestDrain(name);
        if (asked.Count == 0)
        {
            var live = store.LiveRunners();
            Cli.Error($"no live runner is named '{name}' or runs on a host of that name; live: " +
                      (live.Count == 0 ? "none" : string.Join(", ", live.Select(r => $"{r.Name} (on {r.Host})"))) + " (`ablate runners`)");
            return Cli.BadInput;
        }
        foreach (var r in asked)
            Console.WriteLine($"asked {r.Name} (on {r.Host}, pid {r.Pid}) to drain: it takes no new work, puts its running stages back in the queue and exits");
        return Cli.Ok;
    }

    private static List<string> Split(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
