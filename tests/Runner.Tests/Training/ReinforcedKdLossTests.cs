using Ablations.Runner.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Ablations.Runner.Tests.Training;

/// <summary>Expected numbers were computed by hand (a 20-line pure-Python transcription of docs/method.md, "The loss") for b = 2, D = 2.</summary>
public sealed class ReinforcedKdLossTests
{
    private static readonly float[] StudentImage = [1, 0, 0.6f, 0.8f];
    private static readonly float[] StudentText = [0.8f, 0.6f, 0, 1];
    private const double StudentScale = 2.0;
    private const double Clip = 0.5248968;

    public ReinforcedKdLossTests() => torch.set_num_threads(1);

    private static Tensor M(float[] v) => tensor(v).reshape(2, 2);

    private static TeacherTargets Teacher1() => new(M([1, 0, 0, 1]), M([1, 0, 0.6f, 0.8f]), 3.0);

    private static TeacherTargets Teacher2() => new(M([0.6f, 0.8f, 0.8f, 0.6f]), M([0, 1, 1, 0]), 7.0);

    private static LossParts Run(double lambda, params TeacherTargets[] teachers) =>
        ReinforcedKdLoss.Compute(M(StudentImage), M(StudentText), tensor(StudentScale), teachers, lambda);

    [Fact]
    public void ClipLoss_TinyBatch_MatchesHandComputed()
    {
        using var _ = NewDisposeScope();
        Assert.Equal(Clip, ClipLoss.Compute(M(StudentImage), M(StudentText), tensor(StudentScale)).item<float>(), 5);
    }

    [Theory]
    [InlineData(0.0, 0.5248968)]
    [InlineData(0.5, 0.6368367)]
    [InlineData(1.0, 0.7487765)]
    public void Compute_OneTeacher_MatchesHandComputed(double lambda, double expected)
    {
        using var _ = NewDisposeScope();
        var parts = Run(lambda, Teacher1());
        Assert.Equal(expected, parts.Total.item<float>(), 5);
        Assert.Equal(0.7487765, parts.Kd.item<float>(), 5);
        Assert.Equal(Clip, parts.Clip.item<float>(), 5);
    }

    [Theory]
    [InlineData(0.0, 0.5248968)]
    [InlineData(0.5, 0.6125173)]
    [InlineData(1.0, 0.7001378)]
    public void Compute_TwoTeachersWithDifferentScales_AveragesProbabilities(double lambda, double expected)
    {
        using var _ = NewDisposeScope();
        var parts = Run(lambda, Teacher1(), Teacher2());
        Assert.Equal(expected, parts.Total.item<float>(), 5);
        Assert.Equal(0.7001378, parts.Kd.item<float>(), 5);
    }

    [Fact]
    public void EnsembleTargets_BothDirections_AreMeansOfPerTeacherSoftmaxes()
    {
        using var _ = NewDisposeScope();
        var (i2t, t2i) = ReinforcedKdLoss.EnsembleTargets([Teacher1(), Teacher2()]);
        float[] expectedI2T = [0.7853543f, 0.2146457f, 0.1404944f, 0.8595056f];
        float[] expectedT2I = [0.8773790f, 0.1226210f, 0.2760799f, 0.7239201f];
        var gotI2T = i2t.data<float>().ToArray();
        var gotT2I = t2i.data<float>().ToArray();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(expectedI2T[i], gotI2T[i], 5);
            Assert.Equal(expectedT2I[i], gotT2I[i], 5);
        }
    }

    [Fact]
    public void Compute_NoTeachers_IsPlainClipAndRejectsPositiveLambda()
    {
        using var _ = NewDisposeScope();
        Assert.Equal(Clip, Run(0).Total.item<float>(), 5);
        Assert.Throws<ArgumentException>(() => Run(1));
    }

    [Fact]
    public void Compute_KdOnly_GradientFlowsToStudentOnly()
    {
        using var _ = NewDisposeScope();
        var image = M(StudentImage).requires_grad_();
        var teacher = Teacher1();
        var parts = ReinforcedKdLoss.Compute(image, M(StudentText), tensor(StudentScale), [teacher], 1);
        parts.Total.backward();
        Assert.NotNull(image.grad);
        Assert.False(teacher.Image.requires_grad);
    }
}
