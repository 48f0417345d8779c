using System.Text.Json.Nodes;

namespace Ablations.Core.Spec;

/// <summary>Reads the free-form configuration sections: <c>stages</c>, <c>variants</c> and <c>resources</c>.</summary>
internal sealed class ConfigSectionReader(NodeReader r)
{
    private static readonly string[] ResourceKeys = ["queue", "devices"];

    public JsonObject ReadStages(SpecNode? node)
    {
        var stages = new JsonObject();
        if (r.Mapping(node, "stages", "stages: {student: {epochs: 6}}") is not { } map)
        {
            return stages;
        }
        foreach (var (key, value) in map.Entries)
        {
            if (value is SpecScalar { IsNull: true })
            {
                stages[key.Value] = new JsonObject();
            }
            else if (r.Mapping(value, $"stages.{key.Value}", $"{key.Value}: {{epochs: 6}}") is { } body)
            {
                stages[key.Value] = r.Config(body, $"stages.{key.Value}");
            }
        }
        return stages;
    }

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonObject>> ReadVariants(SpecNode? node)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, JsonObject>>(StringComparer.Ordinal);
        if (r.Mapping(node, "variants", "variants: {teachers: {t_a: {arch: cnn-base}}}") is not { } map)
        {
            return result;
        }
        foreach (var (kind, byNameNode) in map.Entries)
        {
            var byName = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            if (r.Mapping(byNameNode, $"variants.{kind.Value}", $"{kind.Value}: {{name_a: {{arch: cnn-base}}}}") is { } names)
            {
                foreach (var (name, body) in names.Entries)
                {
                    byName[name.Value] = body is SpecScalar { IsNull: true } ? new JsonObject()
                        : r.Mapping(body, $"variants.{kind.Value}.{name.Value}", $"{name.Value}: {{arch: cnn-base}}") is { } b ? r.Config(b, $"variants.{kind.Value}.{name.Value}")
                        : new JsonObject();
                }
            }
            result[kind.Value] = byName;
        }
        return result;
    }

    public IReadOnlyDictionary<string, ResourceSpec> ReadResources(SpecNode? node)
    {
        var result = new Dictionary<string, ResourceSpec>(StringComparer.Ordinal);
        if (r.Mapping(node, "resources", "resources: {teacher: {queue: gpu}}") is not { } map)
        {
            return result;
        }
        foreach (var (stage, body) in map.Entries)
        {
            if (r.Mapping(body, $"resources.{stage.Value}", $"{stage.Value}: {{queue: gpu, devices: [\"cuda:0\"]}}") is not { } resource)
            {
                continue;
            }
            r.CheckKeys(resource, ResourceKeys, $"resources.{stage.Value}");
            var queue = r.String(resource.Get("queue"), $"resources.{stage.Value}.queue", "queue: gpu") ?? "default";
            var devices = new List<string>();
            if (r.Sequence(resource.Get("devices"), $"resources.{stage.Value}.devices", "devices: [\"cuda:0\"]") is { } seq)
            {
                devices.AddRange(seq.Items.Select(i => r.String(i, $"resources.{stage.Value}.devices", "\"cuda:0\"")).OfType<string>());
            }
            result[stage.Value] = new ResourceSpec(queue, devices);
        }
        return result;
    }
}
