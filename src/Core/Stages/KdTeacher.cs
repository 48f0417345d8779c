using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>One teacher of a student's ensemble and its fixed KD logit scale t_k (target sharpness; paper's best 50–90).</summary>
public sealed record KdTeacher(string Name, double Scale)
{
    public JsonObject ToJson() => new() { ["name"] = Name, ["scale"] = Scale };

    /// <summary>
    /// A resolved stage config's <c>teachers: [{name, scale}]</c> (the student's, the kd_targets diagnosis's): every
    /// teacher must carry its scale, since a missing one would silently mean near-uniform targets. Sorted by name.
    /// </summary>
    internal static List<KdTeacher> BindList(ConfigReader r)
    {
        var teachers = new List<KdTeacher>();
        if (r.Raw("teachers") is JsonArray arr)
        {
            for (var i = 0; i < arr.Count; i++)
            {
                var t = new ConfigReader(arr[i] as JsonObject, r.PathOf($"teachers[{i}]"), r.Errors);
                var name = t.String("name", "");
                if (!t.Has("scale")) t.Error("scale", "teacher logit scale is required (a missing scale would silently mean near-uniform targets)");
                teachers.Add(new KdTeacher(name, t.Double("scale", double.NaN, 1e-3, 1000)));
                t.RejectUnknown();
            }
        }
        else if (r.Raw("teachers") is not null) r.Error("teachers", "expected a list of {name, scale}");
        return [.. teachers.OrderBy(t => t.Name, StringComparer.Ordinal)];
    }
}
