using Microsoft.EntityFrameworkCore.Design;

namespace Ablations.Core.Store;

/// <summary>Lets `dotnet ef migrations add` build the model without running the app.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<AblationsDbContext>
{
    public AblationsDbContext CreateDbContext(string[] args) =>
        new(StoreLocation.Sqlite(Path.Combine(Path.GetTempPath(), "ablations-design.db")).Options());
}
