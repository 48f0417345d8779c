using Ablations.Runner.Data.Reinforced;

namespace Ablations.Runner.Tests.Data;

/// <summary>The one rule for combining teachers' stored targets (student, kd_targets, export-dr): same pool rows, same crops.</summary>
public sealed class TeacherTargetSetsTests
{
    private static TeacherTargetSet Set(long[] ids, params string[] augmentations) =>
        new(ids, augmentations, Dim: 2, Augs: 1, Image: new float[ids.Length * 2], Gt: new float[ids.Length * 2],
            Synthetic: new Dictionary<string, (int, float[])>(), TeacherLogitScale: 20);

    [Fact]
    public void Mismatch_SamePoolAndCrops_IsNone()
    {
        Assert.Null(TeacherTargetSets.Mismatch([("t_a", Set([1, 2], "[a]", "[b]")), ("t_b", Set([1, 2], "[a]", "[b]"))], [1, 2], "pool 'web'"));
    }

    [Fact]
    public void Mismatch_AnotherPool_OrOtherCrops_NamesTheTeacher()
    {
        Assert.Equal("teacher 't_b' embedded another pool than pool 'web'",
            TeacherTargetSets.Mismatch([("t_a", Set([1, 2], "[a]", "[b]")), ("t_b", Set([1, 3], "[a]", "[b]"))], [1, 2], "pool 'web'"));
        Assert.StartsWith("teacher 't_b' stored other augmentations than 't_a'",
            TeacherTargetSets.Mismatch([("t_a", Set([1, 2], "[a]", "[b]")), ("t_b", Set([1, 2], "[a]", "[c]"))], [1, 2], "pool 'web'"));
    }
}
