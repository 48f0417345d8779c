using Ablations.Runner.Data.Reinforced;

namespace Ablations.Runner.Data.DataComp;

/// <summary>
/// One reinforced sample joined with its image: the encoded image bytes (checked against the stored sha256), the GT
/// caption, the synthetic captions under every captioner key that the key regex selects, the stored augmentations,
/// and the teachers' embeddings: <see cref="ImageEmb"/> [augmentations, ΣD_k]; <see cref="TextEmb"/> [rows, ΣD_k] with
/// row 0 the GT caption (and, in DataCompDR-12M's layout, the synthetic captions of its one key after it);
/// <see cref="SynEmb"/> per key the <c>KEY_emb</c> arrays of DFNDR's layout (one row per caption of that key).
/// <see cref="SynKeys"/> are <see cref="Syn"/>'s keys in ordinal order: the order a step picks a captioner from.
/// </summary>
internal sealed record DrSample(
    string Uid,
    byte[] Image,
    string Caption,
    IReadOnlyDictionary<string, string[]> Syn,
    IReadOnlyList<string> SynKeys,
    IReadOnlyList<DrAugmentation> Augmentations,
    NpyArray ImageEmb,
    NpyArray TextEmb,
    IReadOnlyDictionary<string, NpyArray> SynEmb)
{
    /// <summary>
    /// The teachers' embedding row of caption <paramref name="index"/> under <paramref name="key"/>: its own
    /// <c>KEY_emb</c> array when the sample has one, else the row after the GT caption (Apple's reader does the same:
    /// text_emb holds the synthetic rows when it has more rows than GT captions).
    /// </summary>
    public ReadOnlySpan<float> SynRow(string key, int index) =>
        SynEmb.TryGetValue(key, out var own) ? own.Row(index) : TextEmb.Row(1 + index);
}
