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

internal static class TeacherTargetSets
{
    /// <summary>
    /// Why these teachers' targets cannot be combined, or null when they can: each must hold the rows of
    /// <paramref name="poolIds"/> (named <paramref name="pool"/> in the message) and the same stored augmentations as the
    /// first, so every teacher's image target of a row refers to the same crop. One rule for every reader of an ensemble
    /// (student, kd_targets, export-dr); each reports the problem its own way.
    /// </summary>
    public static string? Mismatch(IReadOnlyList<(string Name, TeacherTargetSet Set)> sets, long[] poolIds, string pool)
    {
        foreach (var (name, set) in sets)
        {
            if (!set.Ids.SequenceEqual(poolIds)) return $"teacher '{name}' embedded another pool than {pool}";
            if (!set.Augmentations.SequenceEqual(sets[0].Set.Augmentations))
                return $"teacher '{name}' stored other augmentations than '{sets[0].Name}': image targets would not refer to the same crops";
        }
        return null;
    }
}

/// <summary>
/// Reads stored teacher targets. The student only sees this interface, so an external reinforced dataset
/// (e.g. converted DataCompDR shards) plugs in with another reader.
/// </summary>
internal interface ITeacherTargetReader
{
    TeacherTargetSet Read(string artifactDir);
}
