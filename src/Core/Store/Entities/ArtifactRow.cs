namespace Ablations.Core.Store.Entities;

/// <summary>A published stage output directory in the artifact store (one per succeeded stage).</summary>
public sealed class ArtifactRow
{
    public required string Hash { get; set; }
    public required string Kind { get; set; }
    public required string Path { get; set; }
    public long Bytes { get; set; }
    public DateTime CreatedAt { get; set; }
}
