using Ablations.Runner.Data.World;
using Ablations.Runner.Evaluation;

namespace Ablations.Runner.Tests.Evaluation;

public sealed class CaptionQualityTests
{
    private static Scene RedCircle() => new(0, 0.5, 1, [new SceneObject(0, 0, 1, 0.3, 0.3, 0.2, 0)]);

    [Fact]
    public void Score_HandCountedCaptions_GivesExpectedNumbers()
    {
        // image 1: "a red circle" (2 right of 2) and "a blue circle" (1 right of 2); GT attributes {red, circle}
        var q = CaptionQuality.Score([["a red circle", "a blue circle"]], [RedCircle()]);
        Assert.Equal(3 / 4.0, q["attr_precision"], 6);
        Assert.Equal(3 / 4.0, q["attr_recall"], 6);            // red+circle, then circle only
        Assert.Equal(4 / 6.0, q["distinct_1"], 6);             // {a, red, circle, blue} of 6 words
        Assert.Equal(4 / 4.0, q["distinct_2"], 6);             // a red, red circle, a blue, blue circle
        Assert.Equal(2 / 4.0, q["pairwise_similarity"], 6);    // |{a, circle}| / |{a, red, circle, blue}|
    }
}
