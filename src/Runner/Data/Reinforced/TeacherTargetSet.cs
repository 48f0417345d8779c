namespace Ablations.Runner.Data.Reinforced;

/// <summary>
/// One teacher's stored targets for a pool, in pool-row order: image embeddings [N, Augs, Dim] (one per stored
/// augmentation), GT-caption text embeddings [N, Dim], and per captioner key [N, k, Dim]; all L2-normalised.
/// <see cref="Augmentations"/> holds each row's stored augmentation list as JSON (paug).
/// </summary>
internal sealed record TeacherTargetSet(
    long[] Ids,
    string[] Augmentations,
    int Dim,
    int Augs,
    float[] Image,
    float[] Gt,
    IReadOnlyDictionary<string, (int PerImage, float[] Data)> Synthetic,
    double TeacherLogitScale);

/// <summary>
/// Reads stored teacher targets. The student only sees this interface, so an external reinforced dataset
/// (e.g. converted DataCompDR shards) plugs in with another reader.
/// </summary>
internal interface ITeacherTargetReader
{
    TeacherTargetSet Read(string artifactDir);
}
