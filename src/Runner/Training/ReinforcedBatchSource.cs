using Ablations.Runner.Data.Augmentation;
using Ablations.Runner.Data.Reinforced;

namespace Ablations.Runner.Training;

/// <summary>
/// Everything a student samples from, aligned by pool row: images, GT captions, the caption mix's synthetic
/// captions (captioner c occupies columns Offsets[c] .. Offsets[c]+PerCaptioner-1 of each row), the stored
/// augmentations, and each teacher's targets composed at load time (an ensemble is just several of these).
/// </summary>
internal sealed record ReinforcedBatchSource(
    byte[][] Pixels,
    string[] GtCaptions,
    IReadOnlyList<string> CaptionMix,
    string[][] Synthetic,                  // [row][captioner-major column]
    int PerCaptioner,
    AugmentParams[][] Augmentations,       // [row][aug]
    int AugsUsed,
    IReadOnlyList<(TeacherTargetSet Set, double Scale)> Teachers);
