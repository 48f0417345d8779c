namespace Ablations.Core.Store.Entities;

/// <summary>An edge of the stage DAG: <see cref="StageHash"/> reads the output of <see cref="InputHash"/> as <see cref="Role"/>.</summary>
public sealed class StageInputRow
{
    public required string StageHash { get; set; }
    public required string InputHash { get; set; }
    public required string Role { get; set; }
}
