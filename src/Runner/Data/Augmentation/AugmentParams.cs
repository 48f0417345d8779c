using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ablations.Runner.Data.Augmentation;

/// <summary>
/// One stored augmentation, as in DataCompDR's paug.json: the crop box [i, j, h, w] in original-image pixels
/// (row, column, height, width) and the RandAugment ops with their realised values (not magnitudes), so
/// replaying it needs no random numbers and gives bit-identical pixels.
/// </summary>
internal sealed record AugmentParams(
    [property: JsonPropertyName("crop")] double[] Crop,
    [property: JsonPropertyName("ops")] AugmentOp[] Ops)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    public static AugmentParams FromJson(string json) =>
        JsonSerializer.Deserialize<AugmentParams>(json) ?? throw new InvalidDataException("empty augmentation");

    public static string ListToJson(IReadOnlyList<AugmentParams> list) => JsonSerializer.Serialize(list);

    public static AugmentParams[] ListFromJson(string json) =>
        JsonSerializer.Deserialize<AugmentParams[]>(json) ?? throw new InvalidDataException("empty augmentation list");
}

/// <summary>An op name (brightness, contrast, saturation, posterize, rotate, shear_x, shear_y, translate_x, translate_y) and its value.</summary>
internal sealed record AugmentOp(
    [property: JsonPropertyName("op")] string Op,
    [property: JsonPropertyName("value")] double Value);
