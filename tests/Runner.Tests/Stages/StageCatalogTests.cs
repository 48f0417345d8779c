using Ablations.Core.Execution;
using Ablations.Core.Stages;
using Ablations.Runner.Stages;

namespace Ablations.Runner.Tests.Stages;

public sealed class StageCatalogTests
{
    [Fact]
    public void EveryRegistryEntry_HasExactlyOneExecutor_FoundByReflection()
    {
        Assert.Equal(StageTypes.All.Select(t => t.Name), StageCatalog.Types);
        foreach (var type in StageTypes.All)
            Assert.Same(type, StageCatalog.Resolve(type.Name).Type);
    }

    [Fact]
    public void Resolve_UnknownType_FailsAsInvalidConfigListingValidTypes()
    {
        var e = Assert.Throws<StageFailedException>(() => StageCatalog.Resolve("studnet"));
        Assert.Equal(FailureKind.InvalidConfig, e.Kind);
        Assert.Contains("student", e.Message);
    }
}
