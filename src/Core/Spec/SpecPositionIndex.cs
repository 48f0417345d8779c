using System.Text.Json.Nodes;

namespace Ablations.Core.Spec;

/// <summary>Builds <see cref="SpecPositions"/> from the normalised YAML tree (profile applied) and the parameters read from it.</summary>
internal static class SpecPositionIndex
{
    public static SpecPositions Build(SpecMapping root, ParameterReader parameters)
    {
        var paths = new Dictionary<string, (SpecPlace, SpecPlace)>(StringComparer.Ordinal);
        foreach (var (key, value) in root.Entries)
        {
            // Parameter keys are dotted names, not paths into the tree; they are indexed from the reader below.
            if (key.Value == "parameters")
            {
                paths[key.Value] = (Place(key), Place(key));
                continue;
            }
            Walk(key.Value, key, value, paths, depth: 0);
        }

        var keys = new Dictionary<string, (SpecPlace, SpecPlace)>(StringComparer.Ordinal);
        var values = new Dictionary<string, IReadOnlyList<(JsonNode?, SpecPlace)>>(StringComparer.Ordinal);
        foreach (var axis in parameters.Axes)
        {
            for (var k = 0; k < axis.Keys.Count; k++)
            {
                var name = axis.Keys[k].Value;
                keys[name] = (Place(axis.Keys[k]), Place(axis.Keys[k]));
                values[name] = [.. axis.Rows.Select(row => (row[k].Value, Place(row[k].Node)))];
                paths[$"parameters.{name}"] = (Place(axis.Keys[k]), Place(axis.Keys[k]));
            }
        }
        foreach (var (key, value) in parameters.Fixed)
        {
            keys[key.Value] = (Place(key), Place(value.Node));
            paths[$"parameters.{key.Value}"] = (Place(key), Place(value.Node));
        }
        return new SpecPositions(paths, keys, values);
    }

    /// <summary>Each path keeps its key's place and its value's (a scalar's own; a mapping or list is placed at its key).</summary>
    private static void Walk(string path, SpecScalar key, SpecNode value, Dictionary<string, (SpecPlace, SpecPlace)> paths, int depth)
    {
        paths.TryAdd(path, (Place(key), value is SpecScalar ? Place(value) : Place(key)));
        if (depth > SpecLimits.MaxDepth)
        {
            return;
        }
        switch (value)
        {
            case SpecMapping map:
                foreach (var (childKey, child) in map.Entries)
                {
                    Walk($"{path}.{childKey.Value}", childKey, child, paths, depth + 1);
                }
                break;
            case SpecSequence seq:
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    var item = seq.Items[i];
                    var itemPath = $"{path}[{i}]";
                    paths.TryAdd(itemPath, (Place(item), Place(item)));
                    if (item is SpecMapping itemMap)
                    {
                        foreach (var (childKey, child) in itemMap.Entries)
                        {
                            Walk($"{itemPath}.{childKey.Value}", childKey, child, paths, depth + 1);
                        }
                    }
                }
                break;
        }
    }

    private static SpecPlace Place(SpecNode node) => new(node.Line, node.Column);
}
