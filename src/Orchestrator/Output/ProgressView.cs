using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Ablations.Orchestrator.Output;

/// <summary>Renders an experiment's progress: counts by status, ETA, running stages with their progress, failures.</summary>
public static class ProgressView
{
    /// <param name="startFraction">The fraction already done when <paramref name="elapsed"/> started (reused stages), so the ETA uses this session's pace.</param>
    public static string Summary(ExperimentProgress p, TimeSpan elapsed, double startFraction = 0)
    {
        var eta = p.Eta(elapsed, startFraction);
        return $"{p.Count(StageStatus.Succeeded)}/{p.Total} stages done, {p.Count(StageStatus.Running)} running, " +
            $"{p.Count(StageStatus.Queued) + p.Count(StageStatus.Pending)} waiting, {p.Count(StageStatus.Failed)} failed" +
            (p.Count(StageStatus.Cancelled) > 0 ? $", {p.Count(StageStatus.Cancelled)} cancelled" : "") +
            $" | {p.Fraction:P0} in {elapsed:mm\\:ss}" + (eta is { } e ? $", ETA {e:mm\\:ss}" : "");
    }

    public static IRenderable Render(ExperimentProgress p, TimeSpan elapsed, double startFraction = 0)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("stage", "status", "progress", "detail");
        foreach (var s in p.Stages.Where(s => s.Status == StageStatus.Running).OrderBy(s => s.StartedAt).Take(8))
            table.AddRow(Label(s), "[blue]running[/]", Bar(s.Progress), Markup.Escape(s.Phase ?? ""));
        foreach (var s in p.Stages.Where(s => s.FailedItself).Take(5))
            table.AddRow(Label(s), "[red]failed[/]", "", Markup.Escape($"{s.FailureKind}: {FirstLine(s.Error)}"));
        return new Rows(new Markup(Markup.Escape(Summary(p, elapsed, startFraction))), table);
    }

    private static string Label(StageRow s) => $"{s.Type} {s.Hash[..8]}";

    private static string Bar(double fraction)
    {
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * 20);
        return $"[green]{new string('█', filled)}[/]{new string('░', 20 - filled)} {fraction:P0}";
    }

    public static string FirstLine(string? text) => (text ?? "").Split('\n')[0];
}
