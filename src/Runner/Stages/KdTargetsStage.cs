using Ablations.Core.Execution;
using Ablations.Core.Stages;
using Ablations.Runner.Data.Reinforced;
using Ablations.Runner.Diagnostics;

namespace Ablations.Runner.Stages;

/// <summary>
/// <c>kd_targets</c>: the KD targets a student would be distilled from, diagnosed from the stored embeddings alone
/// (inputs "embed:NAME" per teacher; no model, no training): <see cref="KdTargetStats"/> over
/// <see cref="KdTargetsOptions.Batches"/> batches of the student's batch size. A row is a pair of the pool with one of
/// its stored augmentations, drawn uniformly as the student draws them, and its GT caption. Only metrics; no artifact.
/// </summary>
internal sealed class KdTargetsStage(ITeacherTargetReader reader) : IStageExecutor
{
    public KdTargetsStage() : this(new EmbeddingArtifact()) { }

    public StageType Type => StageTypes.KdTargets;

    public void Execute(StageContext ctx)
    {
        var o = StageSupport.Bind(ctx, KdTargetsOptions.Bind);
        var sets = o.Teachers.Select(t => (t, set: reader.Read(ctx.Input($"embed:{t.Name}")))).ToList();
        var first = sets[0].set;
        if (TeacherTargetSets.Mismatch([.. sets.Select(s => (s.t.Name, s.set))], first.Ids, $"'{sets[0].t.Name}'") is { } mismatch)
            StageSupport.Invalid(mismatch);
        var n = first.Ids.Length;
        var b = Math.Min(o.BatchSize, n);
        if (b < 2) StageSupport.Invalid($"the pool has {n} pair(s); a batch needs 2 or more");
        var augs = sets.Min(s => s.set.Augs);
        var rng = new Random(unchecked((int)o.Seed));
        var totals = new KdTargetStats.Totals(sets.Count);
        var order = Enumerable.Range(0, n).ToArray();
        for (var batch = 0; batch < o.Batches; batch++)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            rng.Shuffle(order);
            var rows = order.Take(b).Select(i => (Row: i, Aug: rng.Next(augs))).ToArray();
            var members = sets.Select(s => Member(s.set, s.t.Scale, rows)).ToList();
            KdTargetStats.Add(totals, members, b);
            ctx.Progress((batch + 1.0) / o.Batches, "targets");
        }
        var names = sets.Select(s => s.t.Name).ToList();
        foreach (var (name, value) in KdTargetStats.Of(totals, names)) ctx.Metrics.Final(name, value);
        ctx.Log.WriteLine($"kd_targets [{string.Join(", ", o.Teachers.Select(t => $"{t.Name}@{t.Scale}"))}]: {o.Batches} batches of {b}");
    }

    private static KdTargetStats.Member Member(TeacherTargetSet set, double scale, (int Row, int Aug)[] rows)
    {
        var d = set.Dim;
        var image = new float[rows.Length * d];
        var text = new float[rows.Length * d];
        for (var i = 0; i < rows.Length; i++)
        {
            Array.Copy(set.Image, ((long)rows[i].Row * set.Augs + rows[i].Aug) * d, image, (long)i * d, d);
            Array.Copy(set.Gt, (long)rows[i].Row * d, text, (long)i * d, d);
        }
        return new KdTargetStats.Member(image, text, d, scale);
    }
}
