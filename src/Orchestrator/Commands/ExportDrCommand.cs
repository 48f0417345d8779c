using System.ComponentModel;
using System.Text.Json.Nodes;
using Ablations.Core.Artifacts;
using Ablations.Core.Stages;
using Ablations.Core.Store;
using Ablations.Runner.Data.DataComp;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Ablations.Orchestrator.Commands;

/// <summary>
/// Exports the reinforced data behind one student of an experiment — its world pool, its teachers' stored embeddings and
/// its captioners' synthetic captions — as DataCompDR shards, so that data reinforced here trains with Apple's own code
/// (docs/data-format.md). The artifacts are checked against their manifests first: a damaged one is refused, not exported.
/// </summary>
public sealed class ExportDrCommand : Command<ExportDrCommand.Settings>
{
    public sealed class Settings : ExperimentRevisionSettings
    {
        [CommandOption("--run <INDEX>")]
        [Description("Which run's student: the cell index shown by `ablate status EXPERIMENT` (default: the first run whose student has teachers).")]
        public int? Run { get; init; }

        [CommandOption("--out <DIR>")]
        [Description("Output folder (default ./exports/<experiment>-dr); it gets images/ and dr/ with aligned shards.")]
        public string? Out { get; init; }

        [CommandOption("--per-shard <N>")]
        [Description("Samples per shard (default 10000, as DataCompDR's shards hold about that many).")]
        public int PerShard { get; init; } = 10_000;
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.PerShard < 1)
        {
            Cli.Error($"--per-shard: {settings.PerShard} must be at least 1");
            return Cli.BadInput;
        }
        var workspace = settings.Workspace();
        var store = ResultsStore.Open(workspace.Store);
        var experiment = CommandHelpers.Find(store, settings.Experiment);
        if (experiment is null) return Cli.BadInput;
        var revision = CommandHelpers.FindRevision(store, experiment, settings.Revision);
        if (revision is null) return Cli.BadInput;

        var students = store.SucceededStagesOf(revision.Id, StageTypes.Student.Name)
            .Select(s => (Cell: s.CellIndex, Hash: s.StageHash, Config: JsonNode.Parse(s.ConfigJson)!.AsObject())).ToList();
        var withTeachers = students.Where(s => s.Config["teachers"] is JsonArray { Count: > 0 }).ToList();
        var chosen = settings.Run is { } cell ? students.FirstOrDefault(s => s.Cell == cell) : withTeachers.FirstOrDefault();
        if (chosen.Hash is null)
        {
            Cli.Error(settings.Run is { } c
                ? $"run {c} of '{experiment.Name}' has no finished student; `ablate status {experiment.Name}` lists the runs"
                : $"'{experiment.Name}' has no finished student with teachers to export; run it first (ablate run SPEC)");
            return Cli.BadInput;
        }
        var options = StudentOptions.Bind(chosen.Config);
        var inputs = store.InputsOf(chosen.Hash);
        var verifier = new ArtifactVerifier(workspace, store);
        string Dir(string role)
        {
            var hash = inputs.TryGetValue(role, out var h) ? h : throw new InvalidDataException($"the student has no input '{role}'");
            var finding = verifier.Check(hash, full: true);
            if (!finding.Usable) throw new InvalidDataException($"input '{role}' ({hash[..12]}) is {finding.State.ToString().ToLowerInvariant()}: {finding.Describe()}; `ablate verify --repair` then `ablate run` recompute it");
            return finding.Directory;
        }
        var dir = Path.GetFullPath(settings.Out ?? Path.Combine("exports", experiment.Name + "-dr"));
        DrExport export;
        try
        {
            export = DrExporter.Export(Dir("world"), options.Pool,
                options.Teachers.Select(t => (t.Name, Dir($"embed:{t.Name}"), t.Scale)).ToList(),
                options.CaptionMix.Select(k => (k, Dir($"captions:{k}"))).ToList(), dir, settings.PerShard);
        }
        catch (InvalidDataException e)
        {
            Cli.Error(e.Message);
            return Cli.BadInput;
        }
        var last = (export.Shards - 1).ToString("D8");
        AnsiConsole.MarkupLineInterpolated($"exported run {chosen.Cell}'s student data: {export.Samples} samples in {export.Shards} shard(s) to {dir}");
        Console.WriteLine($"  train with Apple's patch: --train-data \"{dir}/dr/{{00000000..{last}}}.tar\" (merge the images shards in, or join by uid)");
        Console.WriteLine($"    --dataset-reinforcement --distill-teacher-dimension {string.Join(' ', export.Teachers.Select(t => t.Dim))} " +
                          $"--distill-logit-scale {string.Join(' ', export.Teachers.Select(t => t.Scale))} --dataset-reinforcement-syn-text-key-regex '^syn_text.*$'");
        Console.WriteLine($"  or here: a dr_student stage with shards: {dir}/dr/{{00000000..{last}}}.tar and images: {dir}/images/{{00000000..{last}}}.tar");
        return Cli.Ok;
    }
}
