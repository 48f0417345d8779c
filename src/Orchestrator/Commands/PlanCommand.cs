using Ablations.Core.Planning;
using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Ablations.Orchestrator.Scheduling;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;
using Spectre.Console.Cli;
using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ablations.Orchestrator.Commands;

public sealed class PlanCommand : Command<PlanCommand.Settings>
{
    public sealed class Settings : SpecSettings
    {
        [CommandOption("--json")]
        [Description("Print the plan as one JSON object.")]
        public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.LoadPlan() is not { } plan) return Cli.BadInput;
        var (reused, changes) = Compare(settings.Workspace(), plan);
        if (settings.Json)
        {
            Console.WriteLine(ToJson(plan, reused, changes).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return Cli.Ok;
        }
        var spec = plan.Spec;
        AnsiConsole.MarkupLine($"experiment [bold]{Markup.Escape(spec.Name)}[/]{(spec.Profile is null ? "" : $" (profile {Markup.Escape(spec.Profile)})")}: " +
            $"{plan.Expansion.Cells.Count} cells × {spec.Seeds.Count} seeds = {plan.Runs.Count} runs");
        if (plan.Expansion.LeftOutByCap > 0)
            AnsiConsole.MarkupLine($"[yellow]run_cap left out {plan.Expansion.LeftOutByCap} of {plan.Expansion.TotalBeforeCap} cells[/]");
        var table = new Table().AddColumns("stage type", "unique", "instances in runs", "already done");
        foreach (var group in plan.Stages.GroupBy(s => s.Kind))
        {
            var hashes = group.Select(g => g.Hash).ToHashSet(StringComparer.Ordinal); // a set: runs × stages was 5 minutes for 100,000 runs
            var instances = plan.Runs.Sum(r => r.StageHashesByKey.Values.Count(hashes.Contains));
            table.AddRow(group.Key, group.Count().ToString(), instances.ToString(), group.Count(s => reused.Contains(s.Hash)).ToString());
        }
        table.AddRow("[bold]total[/]", plan.Stages.Count.ToString(), plan.TotalStageInstances.ToString(), reused.Count.ToString());
        AnsiConsole.Write(table);
        if (changes is { Count: > 0 })
        {
            var why = new Table().Title("stages to compute, against the stored revision").AddColumns("stage type", "stages", "why");
            foreach (var g in changes.GroupBy(c => (c.Type, c.Reason)))
                why.AddRow(Markup.Escape(g.Key.Type), g.Count().ToString(), Markup.Escape(g.Key.Reason));
            AnsiConsole.Write(why);
        }
        return Cli.Ok;
    }

    public static JsonObject ToJson(StagePlan plan, IReadOnlySet<string> reused, IReadOnlyList<StageChange>? changes = null)
    {
        var runs = new JsonArray();
        foreach (var r in plan.Runs)
            runs.Add(new JsonObject { ["id"] = r.RunKey, ["params"] = JsonNode.Parse(JsonCanonical.Serialize(r.Params)), ["seed"] = r.Seed });
        var byType = new JsonObject();
        foreach (var g in plan.Stages.GroupBy(s => s.Kind).OrderBy(g => g.Key, StringComparer.Ordinal)) byType[g.Key] = g.Count();
        return new JsonObject
        {
            ["experiment"] = plan.Spec.Name,
            ["planHash"] = plan.Hash,
            ["cells"] = plan.Expansion.Cells.Count,
            ["leftOutByRunCap"] = plan.Expansion.LeftOutByCap,
            ["runs"] = runs,
            ["stages"] = new JsonObject
            {
                ["total"] = plan.TotalStageInstances,
                ["unique"] = plan.Stages.Count,
                ["reused"] = reused.Count,
                ["byType"] = byType,
            },
            ["changes"] = changes is null ? null : new JsonArray(changes.Select(c => (JsonNode)new JsonObject
            {
                ["hash"] = c.Hash, ["type"] = c.Type, ["key"] = c.Key, ["reason"] = c.Reason,
            }).ToArray()),
        };
    }

    /// <summary>
    /// Stages of the plan that already succeeded in the store, and why each other one must run compared with the
    /// experiment's stored revision (null when the store has no revision of it); an absent store is not created by planning.
    /// </summary>
    private static (IReadOnlySet<string> Reused, IReadOnlyList<StageChange>? Changes) Compare(Workspace workspace, StagePlan plan)
    {
        if (workspace.Store.Provider == StoreProvider.Sqlite && !File.Exists(workspace.Store.Display)) return (new HashSet<string>(), null);
        var store = ResultsStore.Open(workspace.Store);
        var reused = store.SucceededAmong(plan.Stages.Select(s => s.Hash).ToList());
        var (chains, stages) = store.CurrentChains(plan.Spec.Name);
        return (reused, chains.Count == 0 ? null : PlanChanges.Explain(plan, reused, chains, stages));
    }
}
