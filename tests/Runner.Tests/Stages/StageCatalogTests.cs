using Ablations.Core.Execution;
using Ablations.Runner.Stages;

namespace Ablations.Runner.Tests.Stages;

public sealed class StageCatalogTests
{
    [Fact]
    public void Types_ListEveryMethodStage_Once()
    {
        foreach (var type in new[] { "world", "teacher", "captioner", "captions", "embed", "student", "eval" })
            Assert.Equal(type, StageCatalog.Resolve(type).Type);
        Assert.Equal(StageCatalog.Types.Count, StageCatalog.Types.Distinct().Count());
    }

    [Fact]
    public void Resolve_UnknownType_FailsAsInvalidConfigListingValidTypes()
    {
        var e = Assert.Throws<StageFailedException>(() => StageCatalog.Resolve("studnet"));
        Assert.Equal(FailureKind.InvalidConfig, e.Kind);
        Assert.Contains("student", e.Message);
    }
}
