using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>A CLIP teacher trained from scratch on one pool. Its KD scale is a student knob, not here.</summary>
public sealed record TeacherOptions(
    string Arch,             // named architecture (see Runner/Modeling/architectures.json), e.g. cnn-base
    string Pool,             // web | filtered | hq
    long Seed,               // init + data order
    ScheduleOptions Schedule)
{
    public static readonly string[] Pools = ["web", "filtered", "hq"];

    public static TeacherOptions Bind(JsonObject? config) => OptionsBinding.BindOrThrow(config, h => Bind(h.Reader));

    internal static TeacherOptions Bind(ConfigReader r) => new(
        r.String("arch", "cnn-base"), r.String("pool", "filtered", Pools), r.Long("seed", 11),
        ScheduleOptions.Bind(r, ScheduleOptions.Default));

    public JsonObject ToJson()
    {
        var o = new JsonObject { ["arch"] = Arch, ["pool"] = Pool, ["seed"] = Seed };
        Schedule.Write(o);
        return o;
    }
}
