namespace Ablations.Core.Spec;

/// <summary>A parameter whose values name entries of <c>variants.&lt;Kind&gt;</c> (one name or a list of names).</summary>
internal sealed record VariantReference(string Kind, string Noun);

/// <summary>
/// The one table of parameters that refer to named variants. Add a row here to make a new parameter
/// checked against its variants (everywhere it can appear: axes, fixed values, stages, baseline, include, exclude).
/// </summary>
internal static class VariantReferences
{
    public static readonly IReadOnlyDictionary<string, VariantReference> ByKey = new Dictionary<string, VariantReference>(StringComparer.Ordinal)
    {
        ["student.teachers"] = new("teachers", "teacher"),
        ["student.caption_mix"] = new("captioners", "captioner"),
    };

    /// <summary>Checks one value (a name or a list of names) of <paramref name="key"/> against the defined variants.</summary>
    public static void Check(string key, SpecNode value, IReadOnlyDictionary<string, IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonObject>> variants, DiagnosticBag diags)
    {
        if (!ByKey.TryGetValue(key, out var reference))
        {
            return;
        }
        var defined = variants.TryGetValue(reference.Kind, out var byName) ? byName.Keys.ToList() : [];
        var names = value switch
        {
            SpecScalar { IsNull: true } => [],
            SpecScalar s => [s],
            SpecSequence seq => seq.Items,
            _ => [value],
        };
        foreach (var item in names)
        {
            if (item is not SpecScalar name || name.IsNull)
            {
                diags.Add(item, $"{key}: a {reference.Noun} is referred to by name (a list of names for several); got {item.KindName}");
                continue;
            }
            if (!defined.Contains(name.Value))
            {
                var list = defined.Count == 0
                    ? $"no {reference.Kind} are defined; add them under variants.{reference.Kind}"
                    : $"defined {reference.Kind} are {string.Join(", ", defined)}";
                diags.Add(name, $"{key}: unknown {reference.Noun} '{name.Value}'; {list}");
            }
        }
    }
}
