using Ablations.Core.Store;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;

namespace Ablations.Queue;

/// <summary>
/// The Hangfire job storage of a workspace. SQLite is safe with ONE server process per file (docs/stages.md, "How stages are run"), so the
/// embedded default runs a single runner process; PostgreSQL takes many. Invisibility is set above the longest
/// stage so a running job is not fetched twice; our own claim in the results store covers the rest.
/// </summary>
public static class JobStorageFactory
{
    /// <summary>
    /// How often an idle worker asks PostgreSQL for a job: every worker of every node polls, so not too often.
    /// </summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The embedded queue has one runner process on one machine: a worker that found nothing looks again after 50 ms,
    /// so the first stage of a run starts at most that long after its job exists (200 ms cost the first stage of every
    /// `ablate run` 100 ms on average), for a cheap read of a local file 20 times a second per idle worker.
    /// </summary>
    public static readonly TimeSpan SqlitePollInterval = TimeSpan.FromMilliseconds(50);

    public static JobStorage Create(Workspace workspace)
    {
        if (workspace.Jobs.Provider == StoreProvider.Postgres)
        {
            return new PostgreSqlStorage(
                new NpgsqlConnectionFactory(workspace.Jobs.ConnectionString, new PostgreSqlStorageOptions()),
                new PostgreSqlStorageOptions
                {
                    QueuePollInterval = PollInterval,
                    InvisibilityTimeout = TimeSpan.FromHours(12),
                    PrepareSchemaIfNecessary = true,
                });
        }
        Workspace.CreateFolder(Path.GetDirectoryName(workspace.Jobs.Display)!); // a read-only place is a StoreUnavailableException that says so
        return new SQLiteStorage(workspace.Jobs.Display, new SQLiteStorageOptions
        {
            QueuePollInterval = SqlitePollInterval,
            InvisibilityTimeout = TimeSpan.FromHours(12),
            // The package default (DELETE) syncs a rollback journal on every one of Hangfire's many small commits;
            // WAL made creating a job 4–5× cheaper here (bench/RESULTS.md, Spine). Every process sets it on each new
            // connection, and it needs a local file system, as the results store's WAL already does.
            JournalMode = SQLiteStorageOptions.JournalModes.WAL,
        });
    }
}
