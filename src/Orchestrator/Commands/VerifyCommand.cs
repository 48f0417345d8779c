using Ablations.Core.Artifacts;
using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Ablations.Core.Scheduling;
using Ablations.Queue;
using Spectre.Console;
using Spectre.Console.Cli;
using System.ComponentModel;

namespace Ablations.Orchestrator.Commands;

/// <summary>
/// Hashes every file of every recorded artifact (of one experiment's current revision, or of the whole store) against
/// the manifest recorded at publish, and says what it found. --repair invalidates each damaged or missing artifact's
/// stage (it recomputes on the next run; what was computed from it is recomputed too if the new artifact differs) and
/// removes folders the store does not know.
/// Exit 0 when everything is intact or repaired, 1 when something is damaged or missing and --repair was not given.
/// </summary>
public sealed class VerifyCommand : Command<VerifyCommand.Settings>
{
    public sealed class Settings : StoreSettings
    {
        [CommandArgument(0, "[EXPERIMENT]")]
        [Description("Check only the artifacts of this experiment's current revision (default: every artifact in the store).")]
        public string? Experiment { get; init; }

        [CommandOption("--repair")]
        [Description("Invalidate damaged or missing artifacts (and everything computed from them) so they recompute, and delete unreferenced artifact folders.")]
        public bool Repair { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var workspace = settings.Workspace();
        var store = ResultsStore.Open(workspace.Store);
        IReadOnlyList<StageRow> succeeded;
        if (settings.Experiment is not null)
        {
            var experiment = CommandHelpers.Find(store, settings.Experiment);
            if (experiment is null) return Cli.BadInput;
            succeeded = store.StagesOf(experiment.Id).Where(s => s.Status == StageStatus.Succeeded).ToList();
        }
        else
        {
            succeeded = store.SucceededStages();
        }
        var verifier = new ArtifactVerifier(workspace, store);
        var rows = store.Artifacts(succeeded.Select(s => s.Hash).ToList()).ToDictionary(a => a.Hash);
        var findings = succeeded.OrderBy(s => s.CreatedAt)
            .Select(s => rows.TryGetValue(s.Hash, out var row) ? verifier.Check(row, full: true) : verifier.Check(s.Hash, full: true) with { Kind = s.Type })
            .ToList();
        var orphans = settings.Experiment is null ? Unreferenced(workspace, store) : [];

        var table = new Table().AddColumns("stage", "hash", "artifact", "detail");
        foreach (var f in findings.Where(f => f.State != ArtifactState.Intact))
            table.AddRow(Markup.Escape(f.Kind), f.Hash[..12], State(f.State), Markup.Escape(f.State == ArtifactState.Adopted ? "had no manifest (published before manifests existed); recorded now" : f.Describe()));
        foreach (var dir in orphans)
            table.AddRow("", Markup.Escape(Path.GetFileName(dir)[..Math.Min(12, Path.GetFileName(dir).Length)]), "[grey]unreferenced[/]", Markup.Escape($"{dir}: no stage of the store published it"));
        if (table.Rows.Count > 0) AnsiConsole.Write(table);
        var bad = findings.Where(f => !f.Usable).ToList();
        var bytes = rows.Values.Sum(a => a.Bytes);
        AnsiConsole.MarkupLine($"verified {findings.Count} artifact(s), {bytes:N0} bytes hashed: {findings.Count(f => f.State == ArtifactState.Intact)} intact, " +
            $"{findings.Count(f => f.State == ArtifactState.Adopted)} adopted, {bad.Count(f => f.State == ArtifactState.Damaged)} damaged, " +
            $"{bad.Count(f => f.State == ArtifactState.Missing)} missing{(orphans.Count > 0 ? $", {orphans.Count} unreferenced folder(s)" : "")}");
        if (bad.Count > 0 && !verifier.RootVisible()) Cli.Err.MarkupLine($"[yellow]warning:[/] {Markup.Escape(verifier.RootInvisibleMessage())}");
        if (!settings.Repair)
        {
            if (bad.Count == 0) return Cli.Ok;
            Cli.Err.MarkupLine("[red]damaged or missing artifacts are never used:[/] a run or runner that needs one recomputes it; `ablate verify --repair` takes them (and what was computed from them) back now");
            return Cli.RunsFailed;
        }

        foreach (var f in bad) verifier.Invalidate(f);
        var running = store.RunningStageHashes();
        foreach (var dir in orphans.Where(d => !running.Contains(Path.GetFileName(d)))) TryDelete(dir);
        new StageScheduler(store, HangfireJobQueue.Of(workspace)).TopUp();
        if (bad.Count > 0)
        {
            AnsiConsole.MarkupLine($"repaired: {bad.Count} stage(s) with a bad artifact are pending again and recompute on the next `ablate run FILE` " +
                "of an experiment that needs them (or by a runner); stages computed from them recompute too if the new artifact differs");
            foreach (var (name, spec, profile) in store.ExperimentsNeeding(bad.Select(f => f.Hash).ToList()))
                AnsiConsole.MarkupLine(Markup.Escape($"  {name}: ablate run {spec}{(profile is null ? "" : $" --profile {profile}")}"));
        }
        return Cli.Ok;
    }

    private static string State(ArtifactState state) => state switch
    {
        ArtifactState.Damaged => "[red]damaged[/]",
        ArtifactState.Missing => "[red]missing[/]",
        ArtifactState.Adopted => "[yellow]adopted[/]",
        _ => "intact",
    };

    /// <summary>Folders under artifacts/xx/ that no recorded artifact names (left by an interrupted publish or a failed delete).</summary>
    private static List<string> Unreferenced(Workspace workspace, ResultsStore store)
    {
        if (!Directory.Exists(workspace.ArtifactsDir)) return [];
        var known = store.Artifacts().Select(a => a.Hash).ToHashSet(StringComparer.Ordinal);
        return Directory.EnumerateDirectories(workspace.ArtifactsDir)
            .Where(d => Path.GetFileName(d) is { Length: 2 } prefix && prefix.All(char.IsAsciiHexDigitLower))
            .SelectMany(Directory.EnumerateDirectories)
            .Where(d => !known.Contains(Path.GetFileName(d)))
            .Order(StringComparer.Ordinal).ToList();
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
