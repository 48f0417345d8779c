using Microsoft.EntityFrameworkCore;

namespace Ablations.Core.Store;

/// <summary>The store's model on PostgreSQL; a separate type only so EF Core keeps its migrations apart from SQLite's.</summary>
internal sealed class PostgresDbContext(DbContextOptions<PostgresDbContext> options) : AblationsDbContext(options);
