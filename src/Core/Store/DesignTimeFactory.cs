using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Ablations.Core.Store;

/// <summary>Lets `dotnet ef migrations add` build the model without running the app.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AblationsDbContext>
{
    public AblationsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AblationsDbContext>().UseSqlite($"Data Source={Path.Combine(Path.GetTempPath(), "ablations-design.db")}").Options);
}

/// <summary>Lets `dotnet ef migrations add X --context PostgresDbContext` build the PostgreSQL model (no server needed).</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresDbContext>
{
    public PostgresDbContext CreateDbContext(string[] args) =>
        new(new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<PostgresDbContext>().UseNpgsql("Host=localhost;Database=design").Options);
}
