using System.Text.Json;

namespace Ablations.Runner.Data.Reinforced;

/// <summary>
/// One stored augmentation of a DataCompDR / DFNDR sample, as its <c>paug.json</c> holds it (Apple's compressed form of
/// the reinforcement transforms <c>random_resized_crop</c> then <c>rand_augment</c>): the crop box in original-image
/// pixels (top, left, height, width) and the RandAugment ops drawn, each as an index into <see cref="OpNames"/> and
/// the magnitude already realised from torchvision's magnitude bins (signed for the symmetric ops). No ops means
/// RandAugment was skipped for this augmentation (<c>null</c> in the file).
/// </summary>
internal sealed record DrAugmentation(int Top, int Left, int Height, int Width, IReadOnlyList<DrOp> Ops)
{
    /// <summary>The op list of Apple's reproducible RandAugment (training/dr/transforms.py), which is torchvision's order.</summary>
    public static readonly string[] OpNames =
    [
        "Identity", "ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Brightness", "Color", "Contrast",
        "Sharpness", "Posterize", "Solarize", "AutoContrast", "Equalize",
    ];

    /// <summary>
    /// Parses one entry of <c>param_aug</c>: <c>[[i, j, h, w], [[op, magnitude], …]]</c> or <c>[[i, j, h, w], null]</c>.
    /// Throws <see cref="InvalidDataException"/> naming what is wrong.
    /// </summary>
    public static DrAugmentation FromJson(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Array || entry.GetArrayLength() < 1)
            throw new InvalidDataException($"a param_aug entry must be [[i, j, h, w], ops], got {Clip(entry)}");
        var box = entry[0];
        if (box.ValueKind != JsonValueKind.Array || box.GetArrayLength() != 4)
            throw new InvalidDataException($"a crop box must be [i, j, h, w], got {Clip(box)}");
        int At(int k) => box[k].TryGetInt32(out var v) ? v : (int)Math.Round(box[k].GetDouble());
        var ops = new List<DrOp>();
        if (entry.GetArrayLength() > 1 && entry[1].ValueKind == JsonValueKind.Array)
            foreach (var op in entry[1].EnumerateArray())
            {
                if (op.ValueKind != JsonValueKind.Array || op.GetArrayLength() != 2)
                    throw new InvalidDataException($"a RandAugment op must be [op_index, magnitude], got {Clip(op)}");
                var index = op[0].GetInt32();
                if (index < 0 || index >= OpNames.Length)
                    throw new InvalidDataException($"RandAugment op index {index} is outside 0..{OpNames.Length - 1}");
                ops.Add(new DrOp(index, op[1].GetDouble()));
            }
        var a = new DrAugmentation(At(0), At(1), At(2), At(3), ops);
        if (a.Height <= 0 || a.Width <= 0) throw new InvalidDataException($"an empty crop box {Clip(box)}");
        return a;
    }

    /// <summary>The entry in paug.json's form, for writers.</summary>
    public object ToJsonValue() =>
        new object?[] { new[] { Top, Left, Height, Width }, Ops.Count == 0 ? null : Ops.Select(o => new object[] { o.Index, o.Magnitude }).ToArray() };

    private static string Clip(JsonElement e)
    {
        var text = e.GetRawText();
        return text.Length > 80 ? text[..80] + "…" : text;
    }
}

/// <summary>A RandAugment op of a stored augmentation: <see cref="DrAugmentation.OpNames"/>[Index] at the realised magnitude.</summary>
internal sealed record DrOp(int Index, double Magnitude)
{
    public string Name => DrAugmentation.OpNames[Index];
}
