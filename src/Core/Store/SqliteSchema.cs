namespace Ablations.Core.Store;

/// <summary>
/// A new SQLite store created from the SQL of all its migrations in one batch (Store/Migrations/sqlite-schema.sql,
/// EF Core's own script of them). Running EF Core's migrator instead cost ~0.9 s of the first command in every new
/// workspace (issue 11), most of it building the migration machinery, not the few statements it sends. The script
/// records each migration in __EFMigrationsHistory in the same transaction as its tables, so a process killed halfway
/// leaves a store EF Core's migrator finishes on the next open; an existing store is always migrated by EF Core.
/// A test fails when the script falls behind the migrations, and says how to regenerate it.
/// </summary>
internal static class SqliteSchema
{
    public const string ResourceName = "Ablations.Core.Store.sqlite-schema.sql";

    public static string Script()
    {
        using var stream = typeof(SqliteSchema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in {typeof(SqliteSchema).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Creates the schema when the file holds no table yet; false when it already has some (EF Core migrates those).</summary>
    public static bool TryCreate(StoreLocation location)
    {
        using var connection = location.OpenPlainConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table'";
        if (Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0) return false;
        command.CommandText = "PRAGMA journal_mode=WAL;"; // outside any transaction, where SQLite allows the change
        command.ExecuteNonQuery();
        command.CommandText = Script();
        command.ExecuteNonQuery();
        return true;
    }
}
