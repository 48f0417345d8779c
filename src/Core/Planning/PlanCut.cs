namespace Ablations.Core.Planning;

/// <summary>
/// A plan cut after one stage kind (<c>--until KIND</c>): each run keeps the stage of that kind and the stages it reads,
/// directly or not, and ends there; a run without such a stage is left out. The point is to see what is cheap before
/// paying for what is not — the KD targets of every cell (<c>--until kd_targets</c>: world, teachers, embeddings and the
/// diagnosis, no student) before training, or the reinforced data before any student. The stages are the full plan's,
/// hash for hash, so the full run later reuses every one of them.
/// <para>
/// The cut plan is its own experiment, <c>NAME-until-KIND</c>: its runs end elsewhere and carry other metrics, so filing
/// them under the spec's name would make a revision whose results are not the spec's. It names no metric and no claims
/// (those are about what the cut leaves out).
/// </para>
/// </summary>
public static class PlanCut
{
    public static string ExperimentName(string spec, string kind) => $"{spec}-until-{kind}";

    /// <exception cref="ArgumentException">No stage of <paramref name="kind"/> in the plan, or a run with several (its
    /// end would be ambiguous); the message names the kinds that can be used.</exception>
    public static StagePlan Until(StagePlan plan, string kind)
    {
        var byHash = plan.Stages.ToDictionary(s => s.Hash, StringComparer.Ordinal);
        // For the messages only: the kinds a run has at most once, in plan order, which a cut can end at.
        string Usable() => "cut at a stage kind each run has once: " + string.Join(", ", plan.Stages.Select(s => s.Kind).Distinct()
            .Where(k => plan.Runs.All(r => r.StageHashesByKey.Values.Count(h => byHash[h].Kind == k) <= 1)));
        if (!plan.Stages.Any(s => s.Kind == kind))
            throw new ArgumentException($"--until {kind}: the plan of {plan.Spec.Name} has no '{kind}' stage; {Usable()}");

        var kept = new HashSet<string>(StringComparer.Ordinal);
        var runs = new List<PlannedRun>();
        foreach (var run in plan.Runs)
        {
            var ends = run.StageHashesByKey.Where(kv => byHash[kv.Value].Kind == kind).ToList();
            if (ends.Count == 0) continue;
            if (ends.Count > 1)
                throw new ArgumentException($"--until {kind}: a run of {plan.Spec.Name} has {ends.Count} '{kind}' stages " +
                                            $"({string.Join(", ", ends.Select(e => e.Key))}), so it would have no one end; {Usable()}");
            var upstream = new HashSet<string>(StringComparer.Ordinal);
            var todo = new Stack<string>([ends[0].Value]);
            while (todo.TryPop(out var hash))
            {
                if (!upstream.Add(hash)) continue;
                foreach (var input in byHash[hash].Inputs.Values) todo.Push(input);
            }
            kept.UnionWith(upstream);
            // A new run key: the run ends elsewhere and records other metrics than the full run of the same cell and seed.
            var runKey = JsonCanonical.Sha256($"{run.RunKey}\nuntil {kind}")[..16];
            runs.Add(run with
            {
                RunKey = runKey,
                StageHashesByKey = run.StageHashesByKey.Where(kv => upstream.Contains(kv.Value)).ToDictionary(StringComparer.Ordinal),
                TerminalHash = ends[0].Value,
            });
        }
        var spec = plan.Spec with { Name = ExperimentName(plan.Spec.Name, kind), Metric = null, Claims = [] };
        return new StagePlan(spec, plan.Expansion, [.. plan.Stages.Where(s => kept.Contains(s.Hash))], runs);
    }
}
