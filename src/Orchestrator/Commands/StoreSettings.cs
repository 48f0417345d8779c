using Ablations.Core.Store;
using Spectre.Console;
using Spectre.Console.Cli;
using System.ComponentModel;

namespace Ablations.Orchestrator.Commands;

/// <summary>Where state lives; shared by every command.</summary>
public class StoreSettings : CommandSettings
{
    [CommandOption("--root <DIR>")]
    [Description("Workspace folder for the store, job queue, artifacts and logs (default ./.ablations or $ABLATIONS_ROOT).")]
    public string? Root { get; init; }

    [CommandOption("--db <DB>")]
    [Description("Results store: a SQLite file, or postgres://user:pass@host:port/db for many nodes (default <root>/ablations.db or $ABLATIONS_DB).")]
    public string? Db { get; init; }

    [CommandOption("--db-file <PATH>")]
    [Description("Read the results store (a SQLite path or postgres:// URL) from this file's first line, so a password never shows in `ps`; $ABLATIONS_DB does the same.")]
    public string? DbFile { get; init; }

    public override ValidationResult Validate()
    {
        if (DbFile is null) return base.Validate();
        if (Db is not null) return ValidationResult.Error("--db and --db-file name the results store twice; give one of them");
        if (!File.Exists(DbFile)) return ValidationResult.Error($"--db-file {DbFile}: no such file");
        return StoreFromFile() is null ? ValidationResult.Error($"--db-file {DbFile}: the file is empty; put the store's path or postgres:// URL on its first line") : base.Validate();
    }

    private string? StoreFromFile() => File.ReadLines(DbFile!).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);

    /// <summary>The store as given (--db, --db-file, else $ABLATIONS_DB / the default): what a child runner must use too.</summary>
    public string? StoreArgument => Db ?? (DbFile is null ? null : StoreFromFile());

    public Workspace Workspace() => Core.Store.Workspace.Create(Root, StoreArgument);
}

/// <summary>Options of commands that read spec files: the profile to apply and a run cap to use instead of the file's.</summary>
public class SpecOptions : StoreSettings
{
    [CommandOption("--profile <NAME>")]
    [Description("Apply a profile of the spec, e.g. smoke.")]
    public string? Profile { get; init; }

    [CommandOption("--run-cap <N>")]
    [Description("Plan only N cells (random search: sample N cells), instead of the file's run_cap; a W&B random sweep without run_cap needs it.")]
    public int? RunCap { get; init; }

    [CommandOption("--until <KIND>")]
    [Description("Run each run only up to its stage of this kind (and what it reads), as the experiment NAME-until-KIND: e.g. kd_targets diagnoses every cell's KD targets before any student trains. The full run later reuses those stages.")]
    public string? Until { get; init; }

    public override ValidationResult Validate() =>
        RunCap is < 1 ? ValidationResult.Error($"--run-cap {RunCap}: give the number of cells to plan, 1 or more")
        : Until is "" ? ValidationResult.Error("--until: give a stage kind, e.g. --until kd_targets")
        : base.Validate();

    /// <summary>The validated plan of <paramref name="file"/> (cut by <see cref="Until"/>), or null after printing every problem to stderr; notes go to stderr either way.</summary>
    public Core.Planning.StagePlan? LoadPlan(string file)
    {
        var outcome = Scheduling.SpecPlanning.Load(file, Profile, RunCap);
        foreach (var n in outcome.Notes) Console.Error.WriteLine(n);
        if (outcome.Ok)
        {
            if (Until is null) return outcome.Plan;
            try
            {
                return Core.Planning.PlanCut.Until(outcome.Plan!, Until);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"{file}: {e.Message}");
                return null;
            }
        }
        foreach (var p in outcome.Problems) Console.Error.WriteLine(p);
        Console.Error.WriteLine($"{outcome.Problems.Count} problem(s) in {file}");
        return null;
    }
}

/// <summary>Settings of commands that take one spec file.</summary>
public class SpecSettings : SpecOptions
{
    [CommandArgument(0, "<FILE>")]
    [Description("The experiment spec (YAML).")]
    public string File { get; init; } = "";

    /// <summary>The validated plan of <see cref="File"/>, or null after printing every problem to stderr.</summary>
    public Core.Planning.StagePlan? LoadPlan() => LoadPlan(File);

    /// <summary>
    /// The plan to store and run: as <see cref="LoadPlan()"/>, and refused when a stage reads outside data this machine
    /// cannot see. Such a plan validates and plans (a laptop without the data), but its stage hash holds no fingerprint
    /// of the data, so storing it would let other data answer for it later.
    /// </summary>
    public Core.Planning.StagePlan? LoadPlanToSubmit()
    {
        if (LoadPlan() is not { } plan) return null;
        var unseen = plan.Stages
            .Select(s => (s.Type, File: Core.Stages.ExternalData.Unseen(s.Config[Core.Stages.ExternalData.FingerprintKey]?.GetValue<string>())))
            .Where(x => x.File is not null).DistinctBy(x => x.File).ToList();
        foreach (var (type, file) in unseen)
            Cli.Error($"{File}: a {type} stage reads {file}, which this machine cannot see; its hash includes the size and time of every " +
                      "file it reads, so submit where the data is visible (the path the runners see), or fix the path");
        return unseen.Count == 0 ? plan : null;
    }
}

/// <summary>Settings of commands that name a stored experiment.</summary>
public class ExperimentSettings : StoreSettings
{
    [CommandArgument(0, "<EXPERIMENT>")]
    [Description("The experiment's name.")]
    public string Experiment { get; init; } = "";
}

/// <summary>Settings of commands that show one revision of a stored experiment (the current one unless --revision).</summary>
public class ExperimentRevisionSettings : ExperimentSettings
{
    [CommandOption("--revision <N>")]
    [Description("Show revision N of the experiment instead of the current one (`ablate status EXPERIMENT` lists them).")]
    public int? Revision { get; init; }
}
