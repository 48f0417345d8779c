using System.Text.Json.Nodes;

namespace Ablations.Core.Spec;

/// <summary>
/// The values a grid sweeps for a range, as W&amp;B's grid search enumerates them: int_uniform is min..max inclusive;
/// q_uniform is min, min+q, min+2q, … below max (numpy's <c>arange(min, max, q)</c>: max itself is left out), whole
/// numbers when min, max and q are all written as whole numbers.
/// </summary>
internal static class GridRanges
{
    public static List<ValueAt>? Enumerate(SpecScalar key, SpecMapping def, Distribution d, DiagnosticBag diags)
    {
        var min = d.Min ?? 0;
        var max = d.Max ?? min;
        var count = d.Kind == "int_uniform" ? max - min + 1 : Math.Ceiling((max - min) / (d.Q ?? 1.0));
        if (count < 1)
        {
            diags.Add(key, $"parameter '{key.Value}': q_uniform from {min} to {max} has no value below max; widen the range or use values:");
            return null;
        }
        if (count > SpecLimits.MaxGridRangeValues)
        {
            diags.Add(key, $"parameter '{key.Value}': the range {min}..{max} has {count:N0} values, more than a grid lists from one range ({SpecLimits.MaxGridRangeValues:N0}); narrow it or use method: random");
            return null;
        }
        var whole = d.Kind == "int_uniform"
            || (d.WholeQ && DistributionReader.IsInteger(def.Get("min")) && DistributionReader.IsInteger(def.Get("max")));
        var values = new List<ValueAt>((int)count);
        for (long i = 0; i < (long)count; i++)
        {
            JsonNode value = whole
                ? JsonValue.Create((long)min + (i * (long)(d.Kind == "int_uniform" ? 1 : d.Q!.Value)))
                : JsonValue.Create(min + (i * d.Q!.Value));
            values.Add(new ValueAt(value, def));
        }
        return values;
    }
}
