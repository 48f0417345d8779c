using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Ablations.Core.Spec;

/// <summary>
/// Reads YAML text into a positioned <see cref="SpecNode"/> tree from YamlDotNet's parser events, with the
/// guards hostile input needs: one document only, nesting depth, an expanded-node budget for aliases
/// (so an alias bomb is refused after a few hundred events), duplicate keys, and syntax errors as
/// diagnostics with YamlDotNet's own line and column. Building iteratively means no deep recursion.
/// </summary>
internal static class YamlTreeReader
{
    private sealed class Frame(SpecNode container)
    {
        public SpecNode Container { get; } = container;
        public SpecScalar? PendingKey { get; set; }
        /// <summary>The pending key repeats an earlier one: reported once, its value dropped.</summary>
        public bool PendingIsDuplicate { get; set; }
        public string? Anchor { get; init; }
    }

    public static SpecMapping? Read(string text, DiagnosticBag diags)
    {
        try
        {
            var root = ReadCore(text, diags);
            if (diags.Count > 0)
            {
                return null;
            }
            if (root is null || root is SpecScalar { IsNull: true })
            {
                diags.Add(1, 1, "the file is empty; an experiment needs at least 'name:' and 'parameters:' (see docs/spec.md)");
                return null;
            }
            if (root is not SpecMapping mapping)
            {
                diags.Add(root, $"the top level is {root.KindName}; it must be a mapping of keys such as 'name:' and 'parameters:'");
                return null;
            }
            return mapping;
        }
        catch (YamlException ex)
        {
            var line = (int)ex.Start.Line;
            var lineText = text.Split('\n').ElementAtOrDefault(line - 1) ?? "";
            var hint = lineText.Contains("${", StringComparison.Ordinal) && lineText.Contains('[', StringComparison.Ordinal)
                ? "W&B macros such as ${env} start a mapping inside [ ]; quote them (\"${env}\") or write the command as a block list (- ${env})"
                : "fix the syntax at this place";
            diags.Add(line, (int)ex.Start.Column, $"invalid YAML: {ex.Message.TrimEnd('.')}; {hint}");
            return null;
        }
    }

    private static SpecNode? ReadCore(string text, DiagnosticBag diags)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, SpecNode>(StringComparer.Ordinal);
        var stack = new Stack<Frame>();
        SpecNode? root = null;
        var documents = 0;
        long expanded = 0;

        var last = Mark.Empty;
        while (MoveNext(parser, last))
        {
            var ev = parser.Current!;
            last = ev.End;
            var line = (int)ev.Start.Line;
            var column = (int)ev.Start.Column;
            switch (ev)
            {
                case DocumentStart:
                    if (++documents > 1)
                    {
                        diags.Add(line, column, "the file holds more than one YAML document ('---'); put one experiment per file");
                        return null;
                    }
                    break;
                case Scalar s:
                    {
                        var node = new SpecScalar(line, column, s.Value, s.Style == ScalarStyle.Plain, s.Tag.IsEmpty ? null : s.Tag.Value);
                        if (!s.Anchor.IsEmpty)
                        {
                            anchors[s.Anchor.Value] = node;
                        }
                        if (++expanded > SpecLimits.MaxExpandedNodes)
                        {
                            return TooBig(diags, line, column);
                        }
                        if (!Attach(stack, node, ref root, diags))
                        {
                            return null;
                        }
                        break;
                    }
                case SequenceStart or MappingStart:
                    {
                        if (stack.Count >= SpecLimits.MaxDepth)
                        {
                            diags.Add(line, column, $"nesting is deeper than {SpecLimits.MaxDepth} levels; flatten the structure (dotted keys such as 'student.kd.scale' help)");
                            return null;
                        }
                        if (++expanded > SpecLimits.MaxExpandedNodes)
                        {
                            return TooBig(diags, line, column);
                        }
                        SpecNode node = ev is SequenceStart ? new SpecSequence(line, column) : new SpecMapping(line, column);
                        if (!Attach(stack, node, ref root, diags))
                        {
                            return null;
                        }
                        var anchor = ((NodeEvent)ev).Anchor;
                        stack.Push(new Frame(node) { Anchor = anchor.IsEmpty ? null : anchor.Value });
                        break;
                    }
                case SequenceEnd or MappingEnd:
                    {
                        var frame = stack.Pop();
                        if (frame.Container is SpecMapping merged && !ApplyMergeKeys(merged, diags))
                        {
                            return null;
                        }
                        frame.Container.Size = 1 + frame.Container switch
                        {
                            SpecSequence seq => seq.Items.Sum(i => i.Size),
                            SpecMapping map => map.Entries.Sum(e => e.Key.Size + e.Value.Size),
                            _ => 0,
                        };
                        if (frame.Anchor is not null)
                        {
                            anchors[frame.Anchor] = frame.Container;
                        }
                        break;
                    }
                case AnchorAlias alias:
                    {
                        if (!anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            diags.Add(line, column, $"alias '*{alias.Value.Value}' refers to no anchor defined before it; define '&{alias.Value.Value}' first");
                            return null;
                        }
                        expanded += target.Size;
                        if (expanded > SpecLimits.MaxExpandedNodes)
                        {
                            return TooBig(diags, line, column);
                        }
                        if (stack.TryPeek(out var top) && top.Container is SpecMapping && top.PendingKey is null)
                        {
                            diags.Add(line, column, "an alias cannot be used as a mapping key; write the key out");
                            return null;
                        }
                        if (!Attach(stack, target, ref root, diags))
                        {
                            return null;
                        }
                        break;
                    }
            }
        }
        return root;
    }

    /// <summary>
    /// YamlDotNet throws a few non-YAML exceptions on some malformed input (found by fuzzing, e.g. an
    /// InvalidOperationException in ScanPlainScalar for a line starting with '{etric:'); input must never
    /// crash the loader, so they become a syntax error just after the last event that parsed.
    /// </summary>
    private static bool MoveNext(Parser parser, Mark last)
    {
        try
        {
            return parser.MoveNext();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            throw new YamlException(last, last, $"the parser could not read the text after this place ({e.GetType().Name})", e);
        }
    }

    /// <summary>
    /// YAML merge keys (<c>&lt;&lt;: *base</c> or <c>&lt;&lt;: [*a, *b]</c>), common in configs written for PyYAML:
    /// the merged mappings' entries are added unless the mapping sets the key itself (earlier sources win).
    /// </summary>
    private static bool ApplyMergeKeys(SpecMapping map, DiagnosticBag diags)
    {
        var index = map.Entries.FindIndex(e => e.Key is { IsPlain: true, Value: "<<" });
        if (index < 0)
        {
            return true;
        }
        var (key, value) = map.Entries[index];
        map.Entries.RemoveAt(index);
        var sources = value switch
        {
            SpecMapping m => [m],
            SpecSequence seq when seq.Items.All(i => i is SpecMapping) => seq.Items.Cast<SpecMapping>().ToList(),
            _ => null,
        };
        if (sources is null)
        {
            diags.Add(key, "a merge key '<<' takes a mapping or a list of mappings (e.g. <<: *defaults)");
            return false;
        }
        foreach (var entry in sources.SelectMany(m => m.Entries))
        {
            if (map.KeyNode(entry.Key.Value) is null)
            {
                map.Entries.Add(entry);
            }
        }
        return true;
    }

    private static SpecNode? TooBig(DiagnosticBag diags, int line, int column)
    {
        diags.Add(line, column, $"the document expands to more than {SpecLimits.MaxExpandedNodes:N0} nodes (an alias bomb or a runaway list); a spec is a few hundred nodes, so shrink it or drop the aliases");
        return null;
    }

    private static bool Attach(Stack<Frame> stack, SpecNode node, ref SpecNode? root, DiagnosticBag diags)
    {
        if (!stack.TryPeek(out var frame))
        {
            root = node;
            return true;
        }
        switch (frame.Container)
        {
            case SpecSequence seq:
                seq.Items.Add(node);
                return true;
            case SpecMapping map when frame.PendingKey is null:
                if (node is not SpecScalar key || key.IsNull)
                {
                    diags.Add(node, $"a mapping key must be a plain name, not {(node is SpecScalar ? "null" : node.KindName)}; write 'key: value'");
                    return false;
                }
                var first = map.KeyNode(key.Value);
                if (first is not null)
                {
                    diags.Add(key, $"duplicate key '{key.Value}' (first defined at line {first.Line}, column {first.Column}); keep only one of them");
                }
                frame.PendingKey = key;
                frame.PendingIsDuplicate = first is not null;
                return true;
            case SpecMapping map:
                if (!frame.PendingIsDuplicate)
                {
                    map.Entries.Add(new(frame.PendingKey, node));
                }
                frame.PendingKey = null;
                return true;
            default:
                return false;
        }
    }
}
