using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>One teacher of a student's ensemble and its fixed KD logit scale t_k (target sharpness; paper's best 50–90).</summary>
public sealed record KdTeacher(string Name, double Scale)
{
    public JsonObject ToJson() => new() { ["name"] = Name, ["scale"] = Scale };
}
