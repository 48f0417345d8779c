namespace Ablations.Core.Store;

/// <summary>
/// The files of one installation: the results store, the Hangfire job store, published artifacts, scratch
/// space for resumable stages and logs. Embedded default: everything under ./.ablations; with
/// --db postgres://… both stores move to PostgreSQL and artifacts must live on a path every node shares.
/// </summary>
public sealed record Workspace(string Root, StoreLocation Store, StoreLocation Jobs)
{
    public const string DefaultRoot = ".ablations";

    public string ArtifactsDir => Path.Combine(Root, "artifacts");
    public string ScratchDir => Path.Combine(Root, "scratch");
    public string LogsDir => Path.Combine(Root, "logs");
    public string StagingDir => Path.Combine(ArtifactsDir, ".staging");

    public static Workspace Create(string? root, string? db)
    {
        var fullRoot = Path.GetFullPath(root ?? Environment.GetEnvironmentVariable("ABLATIONS_ROOT") ?? DefaultRoot);
        db ??= Environment.GetEnvironmentVariable("ABLATIONS_DB");
        if (db is not null && StoreLocation.Parse(db) is { Provider: StoreProvider.Postgres } pg)
            return new Workspace(fullRoot, pg, pg);
        var store = db is null ? StoreLocation.Sqlite(Path.Combine(fullRoot, "ablations.db")) : StoreLocation.Sqlite(db);
        return new Workspace(fullRoot, store, StoreLocation.Sqlite(Path.Combine(fullRoot, "hangfire.db")));
    }

    /// <summary>Where a stage's published output lives: artifacts/ab/abcdef….</summary>
    public string ArtifactDir(string hash) => Path.Combine(ArtifactsDir, hash[..2], hash);

    /// <summary>The same place relative to <see cref="Root"/>, as the store records it: a copied or re-mounted workspace still finds it.</summary>
    public static string RelativeArtifactPath(string hash) => $"artifacts/{hash[..2]}/{hash}";

    /// <summary>
    /// The folder of a recorded artifact. A relative path is under this workspace's root; an absolute one (stores
    /// written before paths were relative) is replaced by this workspace's own place for the hash, since that
    /// layout never changed and the old absolute root may be another machine's.
    /// </summary>
    public string ResolveArtifact(string hash, string recordedPath) =>
        Path.IsPathRooted(recordedPath) ? ArtifactDir(hash) : Path.GetFullPath(Path.Combine(Root, recordedPath));

    public void EnsureDirectories()
    {
        foreach (var dir in new[] { Root, ArtifactsDir, StagingDir, ScratchDir, LogsDir }) CreateFolder(dir);
    }

    /// <summary>Creates a folder of the workspace; a read-only or inaccessible place is a StoreUnavailableException that says so, not a crash.</summary>
    public static void CreateFolder(string dir)
    {
        try
        {
            Directory.CreateDirectory(dir);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new StoreUnavailableException($"{dir}: cannot create the workspace folder ({e.Message.TrimEnd('.')}); make its parent writable or pass another --root", e);
        }
    }
}
