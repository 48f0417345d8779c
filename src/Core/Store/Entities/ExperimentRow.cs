namespace Ablations.Core.Store.Entities;

/// <summary>
/// An experiment, identified by its name: a history of submitted specs (<see cref="Revisions"/>), of which the one
/// numbered <see cref="CurrentRevision"/> is what status, reports and exports show unless asked for another.
/// </summary>
public sealed class ExperimentRow
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>The number of the latest revision; a submit whose spec, profile or plan differs adds the next one.</summary>
    public int CurrentRevision { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public bool CancelRequested { get; set; }
    public List<RunRow> Runs { get; set; } = [];
    public List<RevisionRow> Revisions { get; set; } = [];
}
