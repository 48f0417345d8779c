using System.Text.RegularExpressions;

namespace Ablations.Core.Spec;

/// <summary>Reads the top-level keys that are single values: name, metric, seeds, run_cap.</summary>
internal sealed partial class TopLevelReader(NodeReader r, List<SpecDiagnostic> notes)
{
    private static readonly string[] MetricKeys = ["name", "goal", "target", "impute", "impute_while_running"];

    private readonly NodeReader _r = r;

    [GeneratedRegex("^[a-z0-9_-]+$")]
    private static partial Regex NamePattern();

    public string? ReadName(SpecNode? node, string path, bool isCommand)
    {
        var name = _r.String(node, "name", "name: kd-temperature");
        if (name is null && node is not (null or SpecScalar { IsNull: true }))
        {
            return null;
        }
        if (name is null)
        {
            if (isCommand)
            {
                var stem = WandbKeys.Slug(Path.GetFileNameWithoutExtension(path));
                return stem.Length > 0 ? stem : "sweep";
            }
            _r.Diags.Add(1, 1, "missing 'name:'; add e.g. name: kd-temperature (lower-case letters, digits, '-' and '_')");
            return null;
        }
        if (NamePattern().IsMatch(name))
        {
            return name;
        }
        var slug = WandbKeys.Slug(name);
        if (isCommand)
        {
            // A W&B name is free text shown in its UI; here the name is a folder and store key, so it is made safe for both.
            var used = slug.Length > 0 ? slug : WandbKeys.Slug(Path.GetFileNameWithoutExtension(path)) is { Length: > 0 } stem ? stem : "sweep";
            notes.Add(new SpecDiagnostic(_r.Diags.File, node!.Line, node.Column,
                $"name '{NodeReader.Short(name)}' is stored and reported as '{used}' (experiment names are folder names: lower-case letters, digits, '-' and '_'); use '{used}' with status, report and export"));
            return used;
        }
        _r.Diags.Add(node!, $"name '{name}' may only hold lower-case letters, digits, '-' and '_'; e.g. name: {(slug.Length > 0 ? slug : "my-ablation")}");
        return name;
    }

    public MetricSpec? ReadMetric(SpecNode? node)
    {
        if (_r.Mapping(node, "metric", "metric: {name: zeroshot_avg, goal: maximize}") is not { } map)
        {
            return null;
        }
        _r.CheckKeys(map, MetricKeys, "metric");
        var name = _r.String(map.Get("name"), "metric.name", "name: zeroshot_avg");
        if (name is null)
        {
            _r.Diags.Add(map, "metric needs 'name:'; e.g. metric: {name: zeroshot_avg, goal: maximize}");
            return null;
        }
        var goal = _r.Choice(map.Get("goal"), "goal", ["maximize", "minimize"]);
        return new MetricSpec(name, goal == "maximize" ? MetricGoal.Maximize : MetricGoal.Minimize);
    }

    public IReadOnlyList<long> ReadSeeds(SpecNode? node)
    {
        if (node is SpecScalar { IsNull: false } single)
        {
            return _r.Integer(single, "seeds", "seeds: [1, 2, 3]") is { } s ? [s] : [0];
        }
        if (_r.Sequence(node, "seeds", "seeds: [1, 2, 3]") is not { } seq)
        {
            return [0];
        }
        if (seq.Items.Count == 0)
        {
            _r.Diags.Add(seq, "'seeds' is empty; give at least one seed, e.g. seeds: [0]");
            return [0];
        }
        var seeds = new List<long>();
        foreach (var item in seq.Items)
        {
            if (item is SpecScalar { IsNull: true })
            {
                _r.Diags.Add(item, "a seed is empty; give a whole number, e.g. seeds: [1, 2, 3]");
            }
            else if (_r.Integer(item, "seeds", "seeds: [1, 2, 3]") is { } seed)
            {
                if (seeds.Contains(seed))
                {
                    _r.Diags.Add(item, $"seed {seed} is listed twice; replicates need distinct seeds");
                }
                seeds.Add(seed);
            }
        }
        return seeds.Count > 0 ? seeds : [0];
    }

    public int? ReadRunCap(SpecNode? node)
    {
        var cap = _r.Integer(node, "run_cap", "run_cap: 100");
        if (cap is null)
        {
            return null;
        }
        if (cap is < 1 or > int.MaxValue)
        {
            _r.Diags.Add(node!, $"run_cap must be a positive whole number (got {cap}); e.g. run_cap: 100");
            return null;
        }
        return (int)cap;
    }
}
