using Ablations.Core.Results;
using Ablations.Reports.Statistics;

namespace Ablations.Reports.Aggregation;

/// <summary>Turns <see cref="ExperimentResults"/> into an <see cref="AblationSummary"/>. Pure: same input, same value.</summary>
public static class AblationSummarizer
{
    /// <summary>Input problems (e.g. a metric no run has), one message each; empty when a summary can be made.</summary>
    public static IReadOnlyList<string> Check(ExperimentResults results, ReportOptions options)
    {
        var finished = FinishedRuns(results);
        var problems = MetricSelection.Check(results, options, AvailableMetrics(finished), finished.Count > 0).ToList();
        if (!(options.ConfidenceLevel is > 0 and < 1))
        {
            problems.Add($"confidence level {options.ConfidenceLevel} is not between 0 and 1 (exclusive); use e.g. 0.95 for 95% intervals");
        }

        return problems;
    }

    /// <summary>
    /// Summarises the succeeded runs; cells whose runs failed, were cancelled or have not finished are kept with
    /// their run counts and failure reasons (and no statistics). Zero finished runs give a summary, not an error.
    /// </summary>
    /// <exception cref="ArgumentException">When <see cref="Check"/> reports problems (a caller bug: check first).</exception>
    public static AblationSummary Summarize(ExperimentResults results, ReportOptions options)
    {
        var problems = Check(results, options);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(options));
        }

        var finished = FinishedRuns(results);
        var available = AvailableMetrics(finished);
        var metrics = MetricSelection.Requested(results, options, available)
            .Where(name => finished.Count == 0 || available.Contains(name))
            .Select(name => new MetricInfo(name, MetricSelection.GoalOf(name, results, options)))
            .ToArray();

        // Every cell with a recorded run, whatever its status: a cell whose runs all failed is a row that says so, not a gap.
        var grouped = GroupCells(results, results.Runs);
        var axes = BuildAxes(results.AxisKeys, grouped);
        int? baseline = FindBaseline(results, grouped);
        var statsNames = available.ToArray();
        double level = options.ConfidenceLevel;
        var cells = new List<CellSummary>();
        for (int i = 0; i < grouped.Count; i++)
        {
            cells.Add(BuildCell(i, grouped[i], axes, grouped, baseline, statsNames, level));
        }

        if (baseline is { } b)
        {
            foreach (var metric in statsNames)
            {
                BaselineComparisons.Add(cells, b, metric);
            }
        }

        return new AblationSummary(
            results.Experiment, results.Description, results.Design, axes, metrics, cells, baseline, Counts(results.Runs),
            available, MarginalEffects.Of(metrics, axes, cells, baseline, level), level, results.Revision,
            FindingsBuilder.Of(results.Claims, metrics.FirstOrDefault(), axes, cells, baseline, level));
    }

    internal static bool IsSucceeded(RunResult run) => string.Equals(run.Status, RunStatuses.Succeeded, StringComparison.OrdinalIgnoreCase);

    private static List<RunResult> FinishedRuns(ExperimentResults results) => results.Runs.Where(IsSucceeded).ToList();

    private static IReadOnlyList<string> AvailableMetrics(IEnumerable<RunResult> runs) =>
        runs.SelectMany(r => r.Metrics.Keys).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToArray();

    private sealed record CellGroup(string Key, IReadOnlyList<RunResult> Runs, IReadOnlyDictionary<string, System.Text.Json.Nodes.JsonNode?> Params);

    private static List<CellGroup> GroupCells(ExperimentResults results, IReadOnlyList<RunResult> runs)
    {
        string KeyOf(RunResult r) => string.Join("\u001f", results.AxisKeys.Select(k => ParamText.Key(r.Params.GetValueOrDefault(k))));
        return runs
            .GroupBy(KeyOf, StringComparer.Ordinal)
            .OrderBy(g => g.Min(r => r.CellIndex))
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new CellGroup(g.Key, g.ToArray(), results.AxisKeys.ToDictionary(k => k, k => g.First().Params.GetValueOrDefault(k))))
            .ToList();
    }

    private static AxisInfo[] BuildAxes(IReadOnlyList<string> keys, IReadOnlyList<CellGroup> cells)
    {
        var axes = new AxisInfo[keys.Count];
        for (int a = 0; a < keys.Count; a++)
        {
            string key = keys[a];
            var nodes = cells.Select(c => c.Params[key]).ToArray();
            bool numeric = nodes.Length > 0 && nodes.All(n => ParamText.AsNumber(n) is not null);
            var values = numeric
                ? nodes.Select(n => ParamText.AsNumber(n)!.Value).Distinct().Order().Select(ParamText.Number).ToArray()
                : nodes.Select(ParamText.Format).Distinct().ToArray();
            axes[a] = new AxisInfo(key, ShortLabel(key, keys), values, numeric);
        }

        return axes;
    }

    /// <summary>The last segment of a dotted key, unless another axis ends the same way.</summary>
    private static string ShortLabel(string key, IReadOnlyList<string> keys)
    {
        static string Last(string k) => k[(k.LastIndexOf('.') + 1)..];
        string last = Last(key);
        return keys.Count(k => Last(k) == last) > 1 ? key : last;
    }

    private static int? FindBaseline(ExperimentResults results, IReadOnlyList<CellGroup> cells)
    {
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i].Runs.Any(r => r.IsBaseline))
            {
                return i;
            }
        }

        if (results.Baseline is not { Count: > 0 } baseline)
        {
            return null;
        }

        for (int i = 0; i < cells.Count; i++)
        {
            var p = cells[i].Params;
            if (results.AxisKeys.All(k => !baseline.TryGetValue(k, out var v) || ParamText.Key(v) == ParamText.Key(p[k])))
            {
                return i;
            }
        }

        return null;
    }

    private static CellSummary BuildCell(
        int index, CellGroup group, IReadOnlyList<AxisInfo> axes, IReadOnlyList<CellGroup> all, int? baseline,
        IReadOnlyList<string> metricNames, double level)
    {
        var values = axes.ToDictionary(a => a.Key, a => ParamText.Format(group.Params[a.Key]));
        var numeric = axes.Where(a => a.IsNumeric).ToDictionary(a => a.Key, a => ParamText.AsNumber(group.Params[a.Key])!.Value);
        string label = axes.Count == 0 ? "all runs" : string.Join(", ", axes.Select(a => $"{a.Label} = {values[a.Key]}"));
        string change = label;
        if (baseline == index)
        {
            change = "baseline";
        }
        else if (baseline is { } b)
        {
            var changed = axes.Where(a => ParamText.Key(all[b].Params[a.Key]) != ParamText.Key(group.Params[a.Key])).ToArray();
            if (changed.Length > 0)
            {
                change = string.Join(", ", changed.Select(a => $"{a.Label} = {values[a.Key]}"));
            }
        }

        var succeeded = group.Runs.Where(IsSucceeded).ToArray();
        var metrics = new Dictionary<string, CellMetric>();
        foreach (var name in metricNames)
        {
            // A non-finite final value (a diverged run that still reported) is no measurement: left out, not averaged in.
            var perSeed = succeeded
                .Where(r => r.Metrics.TryGetValue(name, out var v) && double.IsFinite(v))
                .GroupBy(r => r.Seed)
                .OrderBy(g => g.Key)
                .Select(g => new SeedValue(g.Key, g.Average(r => r.Metrics[name])))
                .ToArray();
            if (perSeed.Length > 0)
            {
                metrics[name] = new CellMetric(SampleStats.Of(perSeed.Select(s => s.Value).ToArray(), level), perSeed, null);
            }
        }

        var seeds = succeeded.Select(r => r.Seed).Distinct().Order().ToArray();
        var runIds = succeeded.Select(r => r.RunId).ToArray();
        return new CellSummary(index, label, change, values, numeric, baseline == index, seeds, runIds, metrics, Counts(group.Runs), Failures(group.Runs));
    }

    private static RunCounts Counts(IReadOnlyCollection<RunResult> runs) => new(
        runs.Count,
        runs.Count(IsSucceeded),
        runs.GroupBy(r => r.Status).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()));

    /// <summary>The distinct reasons the cell's runs have no result, the most frequent first (then in run order).</summary>
    private static string[] Failures(IReadOnlyList<RunResult> runs) => runs
        .Where(r => !IsSucceeded(r) && !string.IsNullOrWhiteSpace(r.Failure))
        .Select((r, i) => (Text: r.Failure!, Order: i))
        .GroupBy(f => f.Text, StringComparer.Ordinal)
        .OrderByDescending(g => g.Count())
        .ThenBy(g => g.Min(f => f.Order))
        .Select(g => g.Key)
        .ToArray();
}
