using System.Text.Json;
using System.Text.Json.Serialization;
using Ablations.Runner.Data.Reinforced;

namespace Ablations.Runner.Data.Augmentation;

/// <summary>
/// One stored augmentation, as in DataCompDR's paug.json: the crop box [i, j, h, w] in original-image pixels
/// (row, column, height, width) and the RandAugment ops with their realised values (not magnitudes), so
/// replaying it needs no random numbers and gives bit-identical pixels.
/// </summary>
/// <remarks>
/// An augmentation of the torchvision style (<see cref="Torchvision"/> set) is stored in DataCompDR's own form instead,
/// <c>[[i, j, h, w], [[op_index, magnitude], …]]</c>, and replayed as torchvision replays it (<see cref="DrReplay"/>).
/// </remarks>
internal sealed record AugmentParams(
    [property: JsonPropertyName("crop")] double[] Crop,
    [property: JsonPropertyName("ops")] AugmentOp[] Ops)
{
    [JsonIgnore] public DrAugmentation? Torchvision { get; init; }

    public static AugmentParams Of(DrAugmentation tv) => new([tv.Top, tv.Left, tv.Height, tv.Width], []) { Torchvision = tv };

    public string ToJson() => JsonSerializer.Serialize(this);

    public static AugmentParams FromJson(string json) =>
        JsonSerializer.Deserialize<AugmentParams>(json) ?? throw new InvalidDataException("empty augmentation");

    /// <summary>Ours as objects; a list of torchvision-style augmentations as DataCompDR's param_aug entries.</summary>
    public static string ListToJson(IReadOnlyList<AugmentParams> list) =>
        list.Count > 0 && list.All(a => a.Torchvision is not null)
            ? JsonSerializer.Serialize(list.Select(a => a.Torchvision!.ToJsonValue()))
            : JsonSerializer.Serialize(list);

    public static AugmentParams[] ListFromJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind == JsonValueKind.Array && doc.RootElement.GetArrayLength() > 0 && doc.RootElement[0].ValueKind == JsonValueKind.Array)
            return doc.RootElement.EnumerateArray().Select(e => Of(DrAugmentation.FromJson(e))).ToArray();
        return JsonSerializer.Deserialize<AugmentParams[]>(json) ?? throw new InvalidDataException("empty augmentation list");
    }
}

/// <summary>An op name (brightness, contrast, saturation, posterize, rotate, shear_x, shear_y, translate_x, translate_y) and its value.</summary>
internal sealed record AugmentOp(
    [property: JsonPropertyName("op")] string Op,
    [property: JsonPropertyName("value")] double Value);
