namespace Ablations.Core.Store.Entities;

/// <summary>A published stage output directory in the artifact store (one per succeeded stage) and what it must contain.</summary>
public sealed class ArtifactRow
{
    public required string Hash { get; set; }
    public required string Kind { get; set; }
    /// <summary>
    /// Relative to the workspace root (artifacts/ab/abcdef…), so a copied or re-mounted workspace finds it. Stores
    /// written before paths were relative hold absolute ones; Workspace.ResolveArtifact resolves both.
    /// </summary>
    public required string Path { get; set; }
    public long Bytes { get; set; }
    /// <summary>SHA-256 over the manifest's (path, size, SHA-256) lines: one value that names the artifact's content.</summary>
    public string? RootSha256 { get; set; }
    /// <summary>Every file as {path, size, sha256, mtime} (ArtifactManifest); null for artifacts published before manifests existed.</summary>
    public string? ManifestJson { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When every file was last hashed in full and matched (publish, a fallback on read, or `ablate verify`).</summary>
    public DateTime? VerifiedAt { get; set; }
}
