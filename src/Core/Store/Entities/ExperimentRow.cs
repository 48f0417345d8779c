namespace Ablations.Core.Store.Entities;

/// <summary>An experiment, identified by its name; re-submitting the same name adds only new runs.</summary>
public sealed class ExperimentRow
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public required string SpecPath { get; set; }
    /// <summary>The exact text of the latest submitted spec, and its SHA-256.</summary>
    public required string SpecText { get; set; }
    public required string SpecHash { get; set; }
    public string? Profile { get; set; }
    public string? GitCommit { get; set; }
    public required string CodeVersion { get; set; }
    /// <summary>Reporting context saved at submit: metric, axis keys, baseline, design (JSON).</summary>
    public required string ReportContextJson { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public bool CancelRequested { get; set; }
    public List<RunRow> Runs { get; set; } = [];
}
