using Ablations.Core.Spec;
using Ablations.Reports.Statistics;

namespace Ablations.Reports.Aggregation;

/// <summary>What the seeds say about the grid, for the primary metric: per axis its best value against the baseline's,
/// and per claim of the spec whether the data support it, refute it, or cannot tell yet.</summary>
public sealed record Findings(string Metric, double Level, IReadOnlyList<AxisFinding> Axes, IReadOnlyList<ClaimFinding> Claims)
{
    /// <summary>The KD-target diagnostics (kd_targets stages) per cell beside the trained metric, and whether each ranks the cells as training did.</summary>
    public KdTargetDiagnostics? Diagnostics { get; init; }
}

/// <summary>Per KD cell its diagnostics and its trained mean; per diagnostic, Spearman's ρ with the trained mean over those cells (oriented so positive = the higher the diagnostic, the better the cell) and its p.</summary>
public sealed record KdTargetDiagnostics(IReadOnlyList<string> Names, IReadOnlyList<DiagnosedCell> Cells, IReadOnlyList<DiagnosticRanking> Rankings);

public sealed record DiagnosedCell(string Label, double Trained, IReadOnlyDictionary<string, double> Values);

public sealed record DiagnosticRanking(string Name, int Cells, double? Rho, double? P);

/// <summary>
/// Value <see cref="A"/> of an axis against value <see cref="B"/>, seed by seed: <see cref="Mean"/> is how much better A
/// does (in the metric's units, positive = better whatever the goal), with a Student-t interval over the seeds both
/// share, and the two-sided paired t-test's p (null when it is no test: too few seeds, or no spread). <see cref="Basis"/>
/// says which cells were compared: those with the other axes at the baseline's values, or every setting of them that
/// ran both values, averaged per seed.
/// </summary>
public sealed record ValueComparison(string A, string B, int Pairs, double Mean, double? Std, double? CiLow, double? CiHigh, double? P, string Basis)
{
    /// <summary>Seeds it would take for the interval to exclude 0 if the difference and its spread stay as observed; null
    /// when that cannot be estimated (fewer than 2 seeds, no spread, no difference) or exceeds <see cref="Findings"/>' cap.</summary>
    public int? SeedsToTell { get; init; }
}

public enum ClaimVerdict { Supported, Refuted, Undecided }

/// <summary>One axis: its best value (by the mean over every cell that tried it) and that value against the baseline's
/// (or, when the best is the baseline's value or there is none, against the runner-up), Holm-adjusted over the axes.</summary>
public sealed record AxisFinding(string Axis, string Label, string Best, ValueComparison? Effect, double? PHolm, bool Significant, bool AgainstBaseline);

/// <summary>One claim: the comparisons that decide it, each with its Holm-adjusted p (family: every claim's comparisons),
/// the verdict, why, and for an undecided claim the seeds it would take to tell.</summary>
public sealed record ClaimFinding(string Axis, string Text, ClaimVerdict Verdict, string Why, IReadOnlyList<ValueComparison> Tests, IReadOnlyList<double?> PHolm, int? SeedsToTell);

internal static class FindingsBuilder
{
    /// <summary>The most seeds a "seeds to tell" estimate names; beyond it the effect is too small for its noise to chase.</summary>
    public const int SeedCap = 1000;

    public static Findings? Of(IReadOnlyList<Claim> claims, MetricInfo? metric, IReadOnlyList<AxisInfo> axes, IReadOnlyList<CellSummary> cells, int? baseline, double level)
    {
        if (metric is null || cells.All(c => !c.Metrics.ContainsKey(metric.Name))) return null;
        var sign = metric.Goal == MetricGoal.Minimize ? -1.0 : 1.0;
        var alpha = 1 - level;
        var compare = new Comparer(metric.Name, sign, axes, cells, baseline, level);

        var axisRows = new List<(AxisInfo Axis, string Best, ValueComparison? Effect, bool AgainstBaseline)>();
        foreach (var axis in axes.Where(a => a.Values.Count >= 2))
        {
            var ranked = axis.Values.Select(v => (Value: v, Score: compare.Score(axis.Key, v))).Where(x => x.Score is not null)
                .OrderByDescending(x => x.Score).ToList();
            if (ranked.Count == 0) continue;
            var best = ranked[0].Value;
            var baseValue = baseline is { } b ? cells[b].Values[axis.Key] : null;
            var against = baseValue is not null && baseValue != best ? baseValue : ranked.Count > 1 ? ranked[1].Value : null;
            // No seed ran both (the baseline's value has no result yet): no effect to state.
            var effect = against is null ? null : compare.Of(axis.Key, best, against) is { Pairs: > 0 } e ? e : null;
            axisRows.Add((axis, best, effect, against == baseValue && against is not null));
        }
        var axisHolm = HolmCorrection.Adjust(axisRows.Select(r => r.Effect?.P).ToArray());
        var axisFindings = axisRows.Select((r, i) =>
            new AxisFinding(r.Axis.Key, r.Axis.Label, r.Best, r.Effect, axisHolm[i], axisHolm[i] < alpha && r.Effect!.Mean > 0, r.AgainstBaseline)).ToList();

        // Each claim's comparisons first, then one Holm family over all of them: a suite of claims is one set of decisions.
        var planned = claims.Select(c => (Claim: c, Tests: ClaimTests(c, axes, compare))).ToList();
        var all = planned.SelectMany(p => p.Tests.Comparisons).ToList();
        var claimHolm = HolmCorrection.Adjust(all.Select(t => t.P).ToArray());
        var holmOf = new Dictionary<ValueComparison, double?>(ReferenceEqualityComparer.Instance);
        for (var j = 0; j < all.Count; j++) holmOf[all[j]] = claimHolm[j];
        var claimFindings = planned.Select(p => Decide(p.Claim, p.Tests, holmOf, alpha)).ToList();
        return new Findings(metric.Name, level, axisFindings, claimFindings) { Diagnostics = Diagnose(metric.Name, sign, cells) };
    }

    private sealed record Planned(IReadOnlyList<ValueComparison> Comparisons, string? Problem, string? Best = null, bool BestAtEdge = false);

    private static Planned ClaimTests(Claim claim, IReadOnlyList<AxisInfo> axes, Comparer compare)
    {
        var axis = axes.FirstOrDefault(a => a.Key == claim.Axis);
        if (axis is null) return new([], $"no run of axis {claim.Axis} has a result");
        string Text(System.Text.Json.Nodes.JsonNode? v) => ParamText.AsNumber(v) is { } d ? ParamText.Number(d) : ParamText.Format(v);
        string? Missing(params string[] values) => values.FirstOrDefault(v => compare.Score(axis.Key, v) is null) is { } m ? $"no result for {axis.Label} = {m} yet" : null;
        switch (claim.Kind)
        {
            case ClaimKind.Better:
            {
                var (a, b) = (Text(claim.A), Text(claim.B));
                return Missing(a, b) is { } why ? new([], why) : new([compare.Of(axis.Key, a, b)], null);
            }
            case ClaimKind.Best:
            {
                var a = Text(claim.A);
                var others = axis.Values.Where(v => v != a && compare.Score(axis.Key, v) is not null).ToList();
                return Missing(a) is { } why ? new([], why) : others.Count == 0 ? new([], $"no other value of {axis.Label} has a result yet")
                    : new([.. others.Select(o => compare.Of(axis.Key, a, o))], null);
            }
            default:
            {
                var scored = axis.Values.Where(v => compare.Score(axis.Key, v) is not null).ToList(); // numeric axes list values ascending
                if (scored.Count < 3) return new([], $"'interior optimum' needs results for at least 3 values of {axis.Label}; {scored.Count} have one");
                var best = scored.OrderByDescending(v => compare.Score(axis.Key, v)).First();
                var i = scored.IndexOf(best);
                if (i == 0 || i == scored.Count - 1)
                    return new([compare.Of(axis.Key, best, scored[i == 0 ? 1 : i - 1])], null, best, BestAtEdge: true);
                return new([compare.Of(axis.Key, best, scored[0]), compare.Of(axis.Key, best, scored[^1])], null, best);
            }
        }
    }

    private static ClaimFinding Decide(Claim claim, Planned planned, IReadOnlyDictionary<ValueComparison, double?> holm, double alpha)
    {
        var tests = planned.Comparisons;
        var adjusted = tests.Select(t => holm[t]).ToList();
        if (planned.Problem is { } problem) return new ClaimFinding(claim.Axis, claim.Text, ClaimVerdict.Undecided, problem, tests, adjusted, null);
        bool Better(int i) => adjusted[i] < alpha && tests[i].Mean > 0;
        bool Worse(int i) => adjusted[i] < alpha && tests[i].Mean < 0;
        var idx = Enumerable.Range(0, tests.Count).ToList();
        string Show(ValueComparison t) => t.Pairs == 0 ? $"{t.A} vs {t.B}: no seed ran both" : $"{t.A} vs {t.B}: {Signed(t.Mean)}";
        ClaimVerdict verdict;
        string why;
        if (claim.Kind == ClaimKind.InteriorOptimum && planned.BestAtEdge)
        {
            // The best tried value is an end of the range: refuted when it clearly beats its neighbour (the optimum lies
            // at or past the edge), else the data cannot place the optimum.
            verdict = Better(0) ? ClaimVerdict.Refuted : ClaimVerdict.Undecided;
            why = $"the best value tried, {planned.Best}, is at the end of the range ({Show(tests[0])})";
        }
        else if (idx.All(Better))
        {
            verdict = ClaimVerdict.Supported;
            why = claim.Kind == ClaimKind.InteriorOptimum ? $"{planned.Best} beats both ends ({string.Join("; ", tests.Select(Show))})" : string.Join("; ", tests.Select(Show));
        }
        else if (claim.Kind != ClaimKind.InteriorOptimum && idx.Any(Worse))
        {
            verdict = ClaimVerdict.Refuted;
            why = string.Join("; ", idx.Where(Worse).Select(i => Show(tests[i])));
        }
        else
        {
            verdict = ClaimVerdict.Undecided;
            why = $"not significant after Holm at {alpha:0.##} ({string.Join("; ", tests.Select(Show))})";
        }
        // Seeds to tell: the undecided comparisons' largest need (each must become significant for the claim to be decided).
        int? seeds = null;
        if (verdict == ClaimVerdict.Undecided)
        {
            var open = idx.Where(i => !Better(i) && !Worse(i)).Select(i => tests[i].SeedsToTell).ToList();
            seeds = open.Count > 0 && open.All(s => s is not null) ? open.Max() : null;
        }
        return new ClaimFinding(claim.Axis, claim.Text, verdict, why, tests, adjusted, seeds);
    }

    /// <summary>The kd_targets stages' metrics (prefixed with their stage key) the findings show, in this order.</summary>
    public static readonly string[] DiagnosticNames = ["kd_targets.entropy", "kd_targets.top1_gt", "kd_targets.agreement"];

    private static KdTargetDiagnostics? Diagnose(string metric, double sign, IReadOnlyList<CellSummary> cells)
    {
        var names = DiagnosticNames.Where(n => cells.Any(c => c.Metrics.ContainsKey(n))).ToList();
        if (names.Count == 0) return null;
        var diagnosed = cells.Where(c => c.Metrics.ContainsKey(metric) && c.Metrics.ContainsKey(names[0]))
            .Select(c => new DiagnosedCell(c.Label, c.Metrics[metric].Stats.Mean,
                names.Where(c.Metrics.ContainsKey).ToDictionary(n => n, n => c.Metrics[n].Stats.Mean))).ToList();
        var rankings = names.Select(n =>
        {
            var pairs = diagnosed.Where(c => c.Values.ContainsKey(n)).Select(c => (c.Values[n], sign * c.Trained)).ToList();
            var rho = Spearman(pairs);
            double? p = rho is { } r && pairs.Count > 2 && Math.Abs(r) < 1
                ? TDistribution.TwoSidedP(r * Math.Sqrt((pairs.Count - 2) / (1 - r * r)), pairs.Count - 2)
                : rho is { } one && pairs.Count > 2 ? 0 : null;
            return new DiagnosticRanking(n, pairs.Count, rho, p);
        }).ToList();
        return new KdTargetDiagnostics(names, diagnosed, rankings);
    }

    /// <summary>Spearman's ρ (Pearson on average ranks); null with fewer than 3 pairs or no spread in either.</summary>
    internal static double? Spearman(IReadOnlyList<(double X, double Y)> pairs)
    {
        if (pairs.Count < 3) return null;
        static double[] Ranks(IReadOnlyList<double> v)
        {
            var order = Enumerable.Range(0, v.Count).OrderBy(i => v[i]).ToArray();
            var ranks = new double[v.Count];
            for (var i = 0; i < order.Length;)
            {
                var j = i;
                while (j + 1 < order.Length && v[order[j + 1]] == v[order[i]]) j++;
                for (var k = i; k <= j; k++) ranks[order[k]] = (i + j) / 2.0 + 1;
                i = j + 1;
            }
            return ranks;
        }
        var rx = Ranks([.. pairs.Select(p => p.X)]);
        var ry = Ranks([.. pairs.Select(p => p.Y)]);
        double mx = rx.Average(), my = ry.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < rx.Length; i++)
        {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx == 0 || syy == 0 ? null : sxy / Math.Sqrt(sxx * syy);
    }

    internal static string Signed(double d) => (d >= 0 ? "+" : "−") + Math.Abs(d).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Compares values of one axis over matched cells, seed by seed.</summary>
    private sealed class Comparer(string metric, double sign, IReadOnlyList<AxisInfo> axes, IReadOnlyList<CellSummary> cells, int? baseline, double level)
    {
        /// <summary>
        /// How good a value is, oriented so higher is better: its mean within the axis's reference setting of the other
        /// axes — the one with results for the most of the axis's values, the baseline's on a tie — when that setting has
        /// this value; else its mean over every cell that tried it (per seed, then over seeds). Averaging over every cell
        /// would mix the other axes' effects in: in a one-at-a-time grid the baseline's value of one axis is the only one
        /// tried with the other axes' other values.
        /// </summary>
        public double? Score(string axis, string value)
        {
            var reference = Reference(axis);
            var inReference = cells.Where(c => c.Values[axis] == value && c.Metrics.ContainsKey(metric) && Others(c, axis) == reference).ToList();
            var stats = SeedAveraging.Of(inReference.Count > 0 ? inReference : cells.Where(c => c.Values[axis] == value), metric, level);
            return stats.N > 0 ? sign * stats.Mean : null;
        }

        private readonly Dictionary<string, string?> _references = [];

        private string? Reference(string axis)
        {
            if (_references.TryGetValue(axis, out var known)) return known;
            var baseOthers = baseline is { } b ? Others(cells[b], axis) : null;
            var reference = cells.Where(c => c.Metrics.ContainsKey(metric)).GroupBy(c => Others(c, axis))
                .OrderByDescending(g => g.Select(c => c.Values[axis]).Distinct().Count()).ThenByDescending(g => g.Key == baseOthers)
                .Select(g => g.Key).FirstOrDefault();
            return _references[axis] = reference;
        }

        private string Others(CellSummary c, string axis) => string.Join("\u001f", axes.Where(x => x.Key != axis).Select(x => c.Values[x.Key]));

        public ValueComparison Of(string axis, string a, string b)
        {
            string Others(CellSummary c) => this.Others(c, axis);
            var pairs = cells.Where(c => c.Values[axis] == a && c.Metrics.ContainsKey(metric))
                .Select(ca => (A: ca, B: cells.FirstOrDefault(cb => cb.Values[axis] == b && cb.Metrics.ContainsKey(metric) && Others(cb) == Others(ca))))
                .Where(p => p.B is not null).ToList();
            // At the baseline's other values when that pair ran; else every matched setting, averaged per seed.
            var basis = "no cells differ only in this axis";
            if (baseline is { } bi && pairs.FirstOrDefault(p => Others(p.A) == Others(cells[bi])) is { B: not null } atBaseline)
            {
                pairs = [atBaseline];
                basis = axes.Count > 1 ? "other axes at the baseline's values" : "";
            }
            else if (pairs.Count > 0)
            {
                basis = axes.Count == 1 ? "" : pairs.Count == 1 ? $"other axes at {Describe(pairs[0].A, axis)}" : $"averaged over {pairs.Count} settings of the other axes";
            }
            var bySeed = new SortedDictionary<long, (double A, double B, int N)>();
            foreach (var (ca, cb) in pairs)
            {
                var valuesB = cb!.Metrics[metric].Values.ToDictionary(v => v.Seed, v => v.Value);
                foreach (var va in ca.Metrics[metric].Values.Where(v => valuesB.ContainsKey(v.Seed)))
                {
                    bySeed.TryGetValue(va.Seed, out var acc);
                    bySeed[va.Seed] = (acc.A + va.Value, acc.B + valuesB[va.Seed], acc.N + 1);
                }
            }
            var ta = bySeed.Values.Select(x => sign * x.A / x.N).ToArray();
            var tb = bySeed.Values.Select(x => sign * x.B / x.N).ToArray();
            var test = PairedTTest.Run(ta, tb);
            var diffs = SampleStats.Of(ta.Zip(tb, (x, y) => x - y).ToArray(), level);
            return new ValueComparison(a, b, diffs.N, diffs.N == 0 ? double.NaN : diffs.Mean, diffs.Std, diffs.CiLow, diffs.CiHigh, test.P, basis)
            {
                SeedsToTell = SeedsToTell(diffs, level),
            };
        }

        private string Describe(CellSummary c, string axis) => string.Join(", ", axes.Where(x => x.Key != axis).Select(x => $"{x.Label} = {c.Values[x.Key]}"));

        /// <summary>Smallest n with t*(n−1)·s/√n below |mean|: the seeds for a 95% interval to exclude 0 at the observed effect and spread.</summary>
        private static int? SeedsToTell(SampleStats d, double level)
        {
            if (d.N < 2 || d.Std is not { } s || s <= 0 || d.Mean == 0 || !double.IsFinite(d.Mean)) return null;
            for (var n = 2; n <= SeedCap; n++)
                if (TDistribution.Critical(n - 1, level) * s / Math.Sqrt(n) < Math.Abs(d.Mean)) return n;
            return null;
        }
    }
}
