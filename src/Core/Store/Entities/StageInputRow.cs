namespace Ablations.Core.Store.Entities;

/// <summary>An edge of the stage DAG: <see cref="StageHash"/> reads the output of <see cref="InputHash"/> as <see cref="Role"/>.</summary>
public sealed class StageInputRow
{
    public required string StageHash { get; set; }
    public required string InputHash { get; set; }
    public required string Role { get; set; }
    /// <summary>
    /// Root SHA-256 of the input artifact the stage read when it last succeeded; null before it ran (or in stores
    /// written before this was recorded). A republished input with another root makes the stage stale.
    /// </summary>
    public string? ConsumedRootSha256 { get; set; }
}
