namespace Ablations.Core.Spec;

/// <summary>
/// Node-level normalisation before a spec is read: dotted keys at the top level and inside <c>stages</c>
/// become nested mappings, nested W&amp;B <c>parameters:</c> become dotted keys, and a profile is
/// deep-merged over the root. Positions survive, so later messages still point at the user's text.
/// </summary>
internal static class SpecDocument
{
    private const int MaxKeySegments = 16;

    public static SpecMapping Normalize(SpecMapping doc, DiagnosticBag diags)
    {
        var split = new SpecMapping(doc.Line, doc.Column);
        foreach (var (key, value) in doc.Entries)
        {
            var dot = key.Value.IndexOf('.');
            if (dot <= 0)
            {
                Add(split, key, value, diags);
                continue;
            }
            var head = new SpecScalar(key.Line, key.Column, key.Value[..dot], true, null);
            var rest = new SpecScalar(key.Line, key.Column, key.Value[(dot + 1)..], true, null);
            var inner = new SpecMapping(key.Line, key.Column);
            inner.Entries.Add(new(rest, value));
            Add(split, head, inner, diags);
        }
        var result = new SpecMapping(doc.Line, doc.Column);
        foreach (var (key, value) in split.Entries)
        {
            var normalized = (key.Value, value) switch
            {
                ("stages", SpecMapping stages) => ExpandDotted(stages, diags),
                ("parameters", SpecMapping parameters) => FlattenParameters(parameters, "", diags),
                _ => value,
            };
            result.Entries.Add(new(key, normalized));
        }
        return result;
    }

    /// <summary>Turns every dotted key (at any depth) into nested mappings: {a.b: 1} == {a: {b: 1}}.</summary>
    public static SpecMapping ExpandDotted(SpecMapping map, DiagnosticBag diags)
    {
        var result = new SpecMapping(map.Line, map.Column);
        foreach (var (key, rawValue) in map.Entries)
        {
            var value = rawValue is SpecMapping m ? ExpandDotted(m, diags) : rawValue;
            var segments = key.Value.Split('.');
            if (segments.Length > MaxKeySegments || segments.Any(s => s.Length == 0))
            {
                diags.Add(key, $"key '{key.Value}' is not a valid dotted path; use names joined by single dots (at most {MaxKeySegments})");
                continue;
            }
            for (var i = segments.Length - 1; i > 0; i--)
            {
                var wrapper = new SpecMapping(key.Line, key.Column);
                wrapper.Entries.Add(new(new SpecScalar(key.Line, key.Column, segments[i], true, null), value));
                value = wrapper;
            }
            Add(result, new SpecScalar(key.Line, key.Column, segments[0], true, null), value, diags);
        }
        return result;
    }

    /// <summary>W&amp;B nested parameters ({student: {parameters: {lambda: ...}}}) become dotted keys (student.lambda).</summary>
    public static SpecMapping FlattenParameters(SpecMapping parameters, string prefix, DiagnosticBag diags)
    {
        var result = new SpecMapping(parameters.Line, parameters.Column);
        Flatten(parameters, prefix, [], result, diags);
        return result;
    }

    private static void Flatten(SpecMapping parameters, string prefix, IReadOnlyList<string> nesting, SpecMapping into, DiagnosticBag diags)
    {
        foreach (var (key, def) in parameters.Entries)
        {
            var full = prefix + key.Value;
            var segments = full.Split('.');
            if (segments.Length > MaxKeySegments || segments.Any(segment => segment.Length == 0))
            {
                diags.Add(key, $"parameter key '{NodeReader.Short(full)}' is not a valid dotted path; use names joined by single dots (at most {MaxKeySegments}), e.g. student.kd.scale");
                continue;
            }
            if (def is SpecMapping m && m.Get("parameters") is { } nested)
            {
                if (m.Entries.Count > 1)
                {
                    diags.Add(key, $"parameter '{full}' has nested 'parameters:' beside other keys; move {string.Join(", ", m.Keys.Where(k => k != "parameters"))} inside the nested parameters");
                }
                if (nested is SpecMapping nestedMap)
                {
                    Flatten(nestedMap, full + ".", [.. nesting, key.Value], into, diags);
                }
                else
                {
                    diags.Add(nested, $"'{full}.parameters' must be a mapping of parameter names to definitions");
                }
                continue;
            }
            var flatKey = new SpecScalar(key.Line, key.Column, full, true, null) { NestedPath = nesting.Count > 0 ? [.. nesting, key.Value] : null };
            var first = into.KeyNode(full);
            if (first is not null)
            {
                diags.Add(key, $"parameter '{full}' is defined twice (first at line {first.Line}, column {first.Column}); keep one definition");
                continue;
            }
            into.Entries.Add(new(flatKey, def));
        }
    }

    /// <summary>Deep-merges a profile over the root: mappings merge, anything else is replaced; parameters are replaced whole per key.</summary>
    public static SpecMapping Merge(SpecMapping root, SpecMapping profile) => Combine(root, profile, depth: 0, parametersLevel: false);

    private static SpecMapping Combine(SpecMapping baseMap, SpecMapping over, int depth, bool parametersLevel)
    {
        var result = new SpecMapping(baseMap.Line, baseMap.Column);
        result.Entries.AddRange(baseMap.Entries);
        foreach (var (key, value) in over.Entries)
        {
            var index = result.Entries.FindIndex(e => e.Key.Value == key.Value);
            if (index < 0)
            {
                result.Entries.Add(new(key, value));
                continue;
            }
            var existing = result.Entries[index];
            var merged = existing.Value is SpecMapping a && value is SpecMapping b && !parametersLevel
                ? Combine(a, b, depth + 1, depth == 0 && key.Value == "parameters")
                : value;
            result.Entries[index] = new(existing.Key, merged);
        }
        return result;
    }

    /// <summary>Adds an entry to a mapping under construction; a repeated key merges mappings or is a duplicate.</summary>
    private static void Add(SpecMapping into, SpecScalar key, SpecNode value, DiagnosticBag diags)
    {
        var index = into.Entries.FindIndex(e => e.Key.Value == key.Value);
        if (index < 0)
        {
            into.Entries.Add(new(key, value));
            return;
        }
        var existing = into.Entries[index];
        if (existing.Value is SpecMapping a && value is SpecMapping b)
        {
            var merged = new SpecMapping(a.Line, a.Column);
            merged.Entries.AddRange(a.Entries);
            foreach (var (k, v) in b.Entries)
            {
                Add(merged, k, v, diags);
            }
            into.Entries[index] = new(existing.Key, merged);
            return;
        }
        diags.Add(key, $"'{key.Value}' is set twice (first at line {existing.Key.Line}, column {existing.Key.Column}); keep one of them");
    }
}
