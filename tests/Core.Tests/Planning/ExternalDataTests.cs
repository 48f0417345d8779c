using Ablations.Core.Planning;
using Ablations.Core.Stages;

namespace Ablations.Core.Tests.Planning;

/// <summary>
/// A built-in stage that reads data from outside the store (dr_student's shards) is hashed with a fingerprint of that
/// data: the same spec over changed shards is another stage, so a changed dataset is never answered from the store.
/// </summary>
public sealed class ExternalDataTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("external-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Spec = """
        name: dr
        seeds: [1]
        pipeline:
          student:
            type: dr_student
            options:
              shards: data/{0..1}.tar
              teachers: [{name: a, dim: 8, scale: 20}]
              image_size: 16
        """;

    private PlannedStage Plan()
    {
        var file = Path.Combine(_dir, "dr.yaml");
        File.WriteAllText(file, Spec);
        var result = PlanLoader.Load(file);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        return Assert.Single(result.Plan!.Stages);
    }

    [Fact]
    public void ChangedShards_UnderTheSamePath_GiveAnotherStageHash()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "data"));
        File.WriteAllText(Path.Combine(_dir, "data", "0.tar"), "shard zero");
        File.WriteAllText(Path.Combine(_dir, "data", "1.tar"), "shard one");
        var first = Plan();
        var again = Plan();
        File.WriteAllText(Path.Combine(_dir, "data", "1.tar"), "shard one, regenerated");
        var changed = Plan();

        Assert.Equal(first.Hash, again.Hash);
        Assert.NotEqual(first.Hash, changed.Hash);
        // Relative to the spec's folder, stored absolute: every runner reads the same files whatever its working folder.
        Assert.Equal(Path.Combine(_dir, "data", "{0..1}.tar"), first.Config["shards"]!.GetValue<string>());
        Assert.Null(ExternalData.Unseen(first.Config[ExternalData.FingerprintKey]!.GetValue<string>()));
    }

    [Fact]
    public void DataThePlannerCannotSee_StillPlans_WithAnUnseenFingerprintARunnerRefuses()
    {
        var stage = Plan();

        Assert.Equal(Path.Combine(_dir, "data", "0.tar"), ExternalData.Unseen(stage.Config[ExternalData.FingerprintKey]!.GetValue<string>()));
    }

    [Fact]
    public void ADrStudentWithoutTeachers_IsAPlanProblemAtItsPlace()
    {
        var file = Path.Combine(_dir, "dr.yaml");
        File.WriteAllText(file, Spec.Replace("teachers: [{name: a, dim: 8, scale: 20}]", "teachers: []"));

        var result = PlanLoader.Load(file);

        Assert.False(result.Ok);
        var problem = Assert.Single(result.Problems);
        Assert.Contains("pipeline.student.options.teachers: list at least one teacher", problem.ToString());
        Assert.Equal(8, problem.Line);
    }

    [Fact]
    public void ABrokenShardPattern_IsAPlanProblemAtTheOption()
    {
        var file = Path.Combine(_dir, "dr.yaml");
        File.WriteAllText(file, Spec.Replace("data/{0..1}.tar", "data/{0..1.tar"));

        var result = PlanLoader.Load(file);

        Assert.False(result.Ok);
        var problem = Assert.Single(result.Problems);
        Assert.Contains("shards: 'data/{0..1.tar'", problem.ToString().Replace(_dir + "/", ""));
        Assert.Contains("never closed", problem.ToString());
        Assert.Equal(7, problem.Line);
    }
}
