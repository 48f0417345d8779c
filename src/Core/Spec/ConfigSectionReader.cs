using System.Text.Json.Nodes;

namespace Ablations.Core.Spec;

/// <summary>Reads the free-form configuration sections: <c>stages</c>, <c>variants</c> and <c>resources</c>.</summary>
internal sealed class ConfigSectionReader(NodeReader r)
{
    private static readonly string[] ResourceKeys = ["queue", "devices", "memory_gb"];

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
            if (r.Mapping(body, $"resources.{stage.Value}", $"{stage.Value}: {{queue: gpu, devices: 1, memory_gb: 40}}") is not { } resource)
            {
                continue;
            }
            r.CheckKeys(resource, ResourceKeys, $"resources.{stage.Value}");
            var queue = r.String(resource.Get("queue"), $"resources.{stage.Value}.queue", "queue: gpu") ?? "default";
            var devices = 1;
            if (resource.Get("devices") is SpecSequence listed)
                r.Diags.Add(listed, $"'resources.{stage.Value}.devices' is the number of devices one stage of it needs (e.g. devices: 2); " +
                    "which devices is the runner's choice (`ablate runner --devices 0,1`)");
            else if (r.Integer(resource.Get("devices"), $"resources.{stage.Value}.devices", "devices: 2") is { } count)
            {
                if (count is < 1 or > 64) r.Diags.Add(resource.Get("devices")!, $"'resources.{stage.Value}.devices' must be 1 to 64 (the devices one stage needs on one runner); got {count}");
                else devices = (int)count;
            }
            var memory = r.Number(resource.Get("memory_gb"), $"resources.{stage.Value}.memory_gb", "memory_gb: 40");
            if (memory is <= 0)
            {
                r.Diags.Add(resource.Get("memory_gb")!, $"'resources.{stage.Value}.memory_gb' must be positive: the GiB one stage needs on each of its devices; got {memory}");
                memory = null;
            }
            result[stage.Value] = new ResourceSpec(queue, devices, memory);
        }
        return result;
    }
}
