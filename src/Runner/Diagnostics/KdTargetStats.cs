namespace Ablations.Runner.Diagnostics;

/// <summary>
/// What KD targets look like, computed from stored embeddings without training: for one batch of b pairs, teacher k's
/// targets are P_k = row-softmax(t_k · Ψimg^k · Ψtxt^kᵀ) (image → text) and the same on the transposed similarities
/// (text → image); the ensemble's are the average of the members' probability matrices (METHOD.md §2, as the
/// student's KD loss builds them). Every number is averaged over the rows of both directions.
/// </summary>
internal static class KdTargetStats
{
    /// <summary>One batch: per teacher its image and text embeddings (b × d each, L2-normalised rows) and its KD logit scale.</summary>
    public sealed record Member(float[] Image, float[] Text, int Dim, double Scale);

    /// <summary>Sums over the rows of a batch; <see cref="Of"/> turns them into means.</summary>
    public sealed class Totals(int teachers)
    {
        public int Rows;
        public double EnsembleEntropy, EnsembleTop1;
        public readonly double[] Entropy = new double[teachers], Top1 = new double[teachers], Kl = new double[teachers];
        /// <summary>Rows where teachers i and j put their largest target on the same caption (image) — i &lt; j.</summary>
        public readonly double[,] Agree = new double[teachers, teachers];
        public int BatchSize;
    }

    /// <summary>Adds one batch of <paramref name="b"/> pairs (row i of every member is the same pair) to <paramref name="totals"/>.</summary>
    public static void Add(Totals totals, IReadOnlyList<Member> members, int b)
    {
        totals.BatchSize = b;
        var k = members.Count;
        foreach (var transpose in new[] { false, true })
        {
            var probs = members.Select(m => Targets(m, b, transpose)).ToArray();
            var ensemble = new double[b * b];
            foreach (var p in probs)
                for (var x = 0; x < ensemble.Length; x++) ensemble[x] += p[x] / k;
            for (var row = 0; row < b; row++)
            {
                var e = ensemble.AsSpan(row * b, b);
                totals.EnsembleEntropy += Entropy(e);
                totals.EnsembleTop1 += ArgMax(e) == row ? 1 : 0;
                var tops = new int[k];
                for (var t = 0; t < k; t++)
                {
                    var p = probs[t].AsSpan(row * b, b);
                    totals.Entropy[t] += Entropy(p);
                    tops[t] = ArgMax(p);
                    totals.Top1[t] += tops[t] == row ? 1 : 0;
                    totals.Kl[t] += Kl(e, p);
                }
                for (var i = 0; i < k; i++)
                    for (var j = i + 1; j < k; j++)
                        totals.Agree[i, j] += tops[i] == tops[j] ? 1 : 0;
                totals.Rows++;
            }
        }
    }

    /// <summary>
    /// The means, by metric name: <c>entropy</c> (the ensemble's targets, in units of log b: 0 one-hot, 1 uniform),
    /// <c>top1_gt</c> (how often its largest target is the pair's own caption or image), <c>agreement</c> (how often two
    /// members' largest targets coincide, averaged over pairs of members; only with two or more), and per member
    /// <c>entropy.NAME</c>, <c>top1_gt.NAME</c> and <c>kl.NAME</c> (KL of the ensemble's targets from the member's, nats).
    /// </summary>
    public static IReadOnlyList<(string Name, double Value)> Of(Totals totals, IReadOnlyList<string> names)
    {
        var n = (double)totals.Rows;
        var logB = Math.Log(totals.BatchSize);
        var list = new List<(string, double)> { ("entropy", totals.EnsembleEntropy / n / logB), ("top1_gt", totals.EnsembleTop1 / n) };
        if (names.Count > 1)
        {
            var pairs = 0;
            var agree = 0.0;
            for (var i = 0; i < names.Count; i++)
                for (var j = i + 1; j < names.Count; j++) { agree += totals.Agree[i, j] / n; pairs++; }
            list.Add(("agreement", agree / pairs));
        }
        for (var t = 0; t < names.Count; t++)
        {
            list.Add(($"entropy.{names[t]}", totals.Entropy[t] / n / logB));
            list.Add(($"top1_gt.{names[t]}", totals.Top1[t] / n));
            list.Add(($"kl.{names[t]}", totals.Kl[t] / n));
        }
        return list;
    }

    /// <summary>Row-softmax of scale · image · textᵀ (or of its transpose: text → image), b × b, in doubles.</summary>
    internal static double[] Targets(Member m, int b, bool transpose)
    {
        var p = new double[b * b];
        for (var i = 0; i < b; i++)
        {
            var max = double.NegativeInfinity;
            for (var j = 0; j < b; j++)
            {
                var (img, txt) = transpose ? (j, i) : (i, j);
                double dot = 0;
                for (var d = 0; d < m.Dim; d++) dot += (double)m.Image[img * m.Dim + d] * m.Text[txt * m.Dim + d];
                var logit = m.Scale * dot;
                p[i * b + j] = logit;
                if (logit > max) max = logit;
            }
            double sum = 0;
            for (var j = 0; j < b; j++) sum += p[i * b + j] = Math.Exp(p[i * b + j] - max);
            for (var j = 0; j < b; j++) p[i * b + j] /= sum;
        }
        return p;
    }

    private static double Entropy(ReadOnlySpan<double> p)
    {
        double h = 0;
        foreach (var x in p) if (x > 0) h -= x * Math.Log(x);
        return h;
    }

    private static double Kl(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        double kl = 0;
        for (var i = 0; i < p.Length; i++) if (p[i] > 0) kl += p[i] * Math.Log(p[i] / Math.Max(q[i], double.Epsilon));
        return kl;
    }

    private static int ArgMax(ReadOnlySpan<double> p)
    {
        var best = 0;
        for (var i = 1; i < p.Length; i++) if (p[i] > p[best]) best = i;
        return best;
    }
}
