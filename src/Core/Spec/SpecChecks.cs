using System.Text.Json.Nodes;

namespace Ablations.Core.Spec;

/// <summary>Checks that span sections: variant names, parameter paths against stage config, method/design rules, grid size.</summary>
internal sealed class SpecChecks(
    DiagnosticBag diags,
    SpecMapping root,
    ParameterReader parameters,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonObject>> variants,
    JsonObject stages)
{
    public void VariantReferencesAreDefined(
        IEnumerable<(SpecScalar Key, ValueAt Value)>? baseline,
        IEnumerable<IEnumerable<(SpecScalar Key, ValueAt Value)>> include,
        IEnumerable<IEnumerable<(SpecScalar Key, ValueAt Value)>> exclude,
        SpecNode? stagesNode)
    {
        var values = parameters.Axes.SelectMany(a => a.Rows.SelectMany(r => r.Select((v, i) => (a.Keys[i].Value, v.Node))))
            .Concat(parameters.Fixed.Select(f => (f.Key.Value, f.Value.Node)))
            .Concat((baseline ?? []).Concat(include.SelectMany(x => x)).Concat(exclude.SelectMany(x => x)).Select(e => (e.Key.Value, e.Value.Node)));
        foreach (var (key, node) in values)
        {
            VariantReferences.Check(key, node, variants, diags);
        }
        foreach (var key in VariantReferences.ByKey.Keys)
        {
            SpecNode? node = stagesNode;
            foreach (var segment in key.Split('.'))
            {
                node = (node as SpecMapping)?.Get(segment);
            }
            if (node is not null)
            {
                VariantReferences.Check(key, node, variants, diags);
            }
        }
    }

    /// <summary>A parameter is written at its dotted path into the stage config; no prefix of it may be a plain value there.</summary>
    public void ParameterPathsFitStages()
    {
        foreach (var key in parameters.Axes.SelectMany(a => a.Keys).Concat(parameters.Fixed.Select(f => f.Key)))
        {
            var segments = key.Value.Split('.');
            JsonNode? node = stages;
            for (var i = 0; i < segments.Length - 1 && node is JsonObject obj; i++)
            {
                node = obj[segments[i]];
                if (node is not null and not JsonObject)
                {
                    var prefix = string.Join('.', segments[..(i + 1)]);
                    diags.Add(key, $"parameter '{key.Value}' goes inside stages.{prefix}, which is {node.ToJsonString()}, not a mapping; rename the parameter or make stages.{prefix} a mapping");
                    break;
                }
            }
        }
    }

    /// <param name="bayes">method: bayes, already refused in one line: nothing more is said about it.</param>
    public void MethodAndDesign(SweepMethod method, DesignKind design, int? runCap, bool hasBaseline, int includeCount, bool bayes = false)
    {
        var methodNode = root.Get("method");
        var designNode = root.Get("design");
        if (method == SweepMethod.Random && !bayes)
        {
            // W&B samples a random sweep until it is stopped; here the plan is fixed first, so it needs a count.
            if (runCap is null && root.Get("run_cap") is null or SpecScalar { IsNull: true })
            {
                diags.Add(methodNode!, "method: random needs 'run_cap:' (how many cells to sample); add e.g. run_cap: 20, or pass --run-cap N to plan, run or submit");
            }
            if (design == DesignKind.OneAtATime)
            {
                diags.Add(designNode!, "design: one_at_a_time needs method: grid; random search samples cells instead");
            }
            if (includeCount > 0)
            {
                diags.Add(root.Get("include")!, "'include' needs method: grid; with random search add the values to the parameters instead");
            }
        }
        if (design == DesignKind.OneAtATime && !hasBaseline)
        {
            diags.Add(designNode!, "design: one_at_a_time needs a 'baseline:' (the cell each axis is varied from); e.g. baseline: {student.lambda: 0.0}");
        }
    }

    /// <summary>Refuses grids too large to run without an explicit cap, stating the actual count.</summary>
    public void GridSize(DesignKind design, int seedCount, int? runCap, int includeCount, int excludeCount)
    {
        long cells = 1;
        foreach (var axis in parameters.Axes.Where(a => a.Rows.Count > 0))
        {
            cells = design == DesignKind.OneAtATime ? Saturating(cells, axis.Rows.Count - 1, add: true) : Saturating(cells, axis.Rows.Count, add: false);
        }
        cells = Saturating(cells, includeCount, add: true);
        var at = root.KeyNode("parameters") ?? root.KeyNode("zip") ?? (SpecNode)root;
        if (cells > SpecLimits.MaxGridCells)
        {
            diags.Add(at, $"the grid has {cells:N0} cells, more than the {SpecLimits.MaxGridCells:N0} that can be listed even with run_cap; narrow the axes or use method: random");
            return;
        }
        var runs = cells * seedCount;
        if (runCap is null && runs > SpecLimits.MaxRunsWithoutCap)
        {
            var before = excludeCount > 0 ? " (before exclude)" : "";
            diags.Add(at, $"the grid has {cells:N0} cells{before} × {seedCount} seeds = {runs:N0} runs, more than {SpecLimits.MaxRunsWithoutCap:N0}; add 'run_cap:' to run only the first ones, or narrow the axes");
        }
    }

    private static long Saturating(long a, long b, bool add)
    {
        try
        {
            return add ? checked(a + b) : checked(a * b);
        }
        catch (OverflowException)
        {
            return long.MaxValue;
        }
    }
}
