namespace Ablations.Core.Store.Entities;

/// <summary>
/// One submitted version of an experiment: the exact spec text, the profile it was planned with and the plan it
/// produced. Immutable once written; the runs it contains are linked through <see cref="RevisionRunRow"/>.
/// </summary>
public sealed class RevisionRow
{
    public int Id { get; set; }
    public int ExperimentId { get; set; }
    public ExperimentRow? Experiment { get; set; }
    /// <summary>1, 2, … within the experiment.</summary>
    public int Number { get; set; }
    public string? Description { get; set; }
    public required string SpecPath { get; set; }
    /// <summary>The exact text of the submitted spec, and its SHA-256.</summary>
    public required string SpecText { get; set; }
    public required string SpecHash { get; set; }
    public string? Profile { get; set; }
    public string? GitCommit { get; set; }
    public required string CodeVersion { get; set; }
    /// <summary>SHA-256 over the plan's run ids (each covers a run's parameters, seed and whole stage chain): equal plans compute the same.</summary>
    public required string PlanHash { get; set; }
    /// <summary>Reporting context of this spec: metric, axis keys, baseline, design (JSON).</summary>
    public required string ReportContextJson { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>Membership of a run in a revision; a run whose stage chain did not change belongs to every revision that has it.</summary>
public sealed class RevisionRunRow
{
    public int RevisionId { get; set; }
    public RevisionRow? Revision { get; set; }
    public int RunId { get; set; }
    public RunRow? Run { get; set; }
}
