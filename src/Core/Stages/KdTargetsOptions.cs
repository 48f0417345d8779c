using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>
/// Training-free diagnostics of a student's KD targets, from the stored teacher embeddings alone: for each teacher of
/// the ensemble at its KD logit scale, and for the ensemble, what the targets the student would be distilled from look
/// like over batches of <see cref="BatchSize"/> pairs (how peaked, how often right, how much the teachers agree). The
/// planner gives every KD student one, with the student's teachers, scales and batch size; the sampling seed is fixed,
/// so students that differ only in seed share it.
/// </summary>
public sealed record KdTargetsOptions(IReadOnlyList<KdTeacher> Teachers, int BatchSize, int Batches, long Seed)
{
    public const int DefaultBatches = 8;

    public static KdTargetsOptions Bind(JsonObject? config) => OptionsBinding.BindOrThrow(config, h => Bind(h.Reader));

    internal static KdTargetsOptions Bind(ConfigReader r)
    {
        var teachers = KdTeacher.BindList(r);
        if (teachers.Count == 0) r.Error("teachers", "expected a non-empty list of {name, scale}: the teachers whose targets are diagnosed");
        return new KdTargetsOptions(teachers,
            r.Int("batch_size", 128, 2, 1 << 16), r.Int("batches", DefaultBatches, 1, 10_000), r.Long("seed", 0));
    }

    public JsonObject ToJson() => new()
    {
        ["teachers"] = new JsonArray(Teachers.Select(t => (JsonNode?)t.ToJson()).ToArray()),
        ["batch_size"] = BatchSize, ["batches"] = Batches, ["seed"] = Seed,
    };
}
