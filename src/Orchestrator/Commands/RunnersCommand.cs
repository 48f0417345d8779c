using Ablations.Core.Store;
using Spectre.Console;
using Spectre.Console.Cli;
using System.ComponentModel;
using System.Globalization;

namespace Ablations.Orchestrator.Commands;

/// <summary>`ablate runners`: the runner registry — who runs, where, with what, and which stages each runs now.</summary>
public sealed class RunnersCommand : Command<RunnersCommand.Settings>
{
    public sealed class Settings : StoreSettings
    {
        [CommandOption("--all")]
        [Description("Also list runners that stopped or were lost (kept 7 days).")]
        public bool All { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var store = ResultsStore.Open(settings.Workspace().Store);
        var runners = store.Runners(settings.All);
        if (runners.Count == 0)
        {
            Console.WriteLine(settings.All ? "no runner has registered in this store in the last 7 days" : "no live runner (`ablate runners --all` lists those that ended)");
            return Cli.Ok;
        }
        AnsiConsole.Write(Table(runners, DateTime.UtcNow));
        return Cli.Ok;
    }

    internal static Table Table(IReadOnlyList<RunnerView> runners, DateTime now)
    {
        var table = new Table().AddColumns("runner", "host", "pid", "state", "devices", "queues", "memory", "version", "started", "heartbeat", "stages");
        foreach (var v in runners)
        {
            var r = v.Runner;
            table.AddRow(Markup.Escape(r.Name), Markup.Escape(r.Host), r.Pid.ToString(CultureInfo.InvariantCulture),
                v.State(now).ToString().ToLowerInvariant(), Markup.Escape($"{r.Devices} × {r.WorkersPerDevice}"), Markup.Escape(r.Queues),
                r.MemoryGb is { } m ? $"{m:0.#} GiB" : "", Markup.Escape(r.Version.Split('+')[0]), r.StartedAt.ToString("u", CultureInfo.InvariantCulture),
                $"{(now - r.HeartbeatAt).TotalSeconds:F0} s ago",
                Markup.Escape(v.Stages.Count == 0 ? "-" : string.Join("\n", v.Stages.Select(s => $"{s.Type} {s.Hash[..12]} {s.Progress:P0}"))));
        }
        return table;
    }
}
