using Ablations.Core.Store;
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

    public Workspace Workspace() => Core.Store.Workspace.Create(Root, Db);
}

/// <summary>Settings of commands that take a spec file.</summary>
public class SpecSettings : StoreSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("The experiment spec (YAML).")]
    public string File { get; init; } = "";

    [CommandOption("--profile <NAME>")]
    [Description("Apply a profile of the spec, e.g. smoke.")]
    public string? Profile { get; init; }

    /// <summary>The validated plan of <see cref="File"/>, or null after printing every problem to stderr.</summary>
    public Core.Planning.StagePlan? LoadPlan()
    {
        var outcome = Scheduling.SpecPlanning.Load(File, Profile);
        if (outcome.Ok) return outcome.Plan;
        foreach (var p in outcome.Problems) Console.Error.WriteLine(p);
        Console.Error.WriteLine($"{outcome.Problems.Count} problem(s) in {File}");
        return null;
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
