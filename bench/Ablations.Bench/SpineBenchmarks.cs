namespace Ablations.Bench;

/// <summary>
/// The spine benchmarks of issue 2 (plan + submit, enqueue → start latency, metric ingestion, orchestration overhead).
/// Usage: spine [plan-submit|latency|metrics|overhead|topup|all] [benchmark arguments]. Each prints counts, times and the
/// ratio to its target; the exit code is 0 when every benchmark run met its target, 1 when one missed, 2 on bad usage.
/// </summary>
internal static class SpineBenchmarks
{
    private static readonly IReadOnlyDictionary<string, Func<string[], int>> Benchmarks = new Dictionary<string, Func<string[], int>>(StringComparer.Ordinal)
    {
        ["plan-submit"] = SpinePlanSubmitBench.Run,
        ["latency"] = SpineLatencyBench.Run,
        ["metrics"] = SpineMetricsBench.Run,
        ["overhead"] = SpineOverheadBench.Run,
        ["topup"] = SpineTopUpBench.Run,
    };

    public static int Run(string[] args)
    {
        var name = args.Length > 0 ? args[0] : "all";
        var rest = args.Length > 1 ? args[1..] : [];
        Console.WriteLine($"# spine benchmarks, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        if (name == "all")
        {
            var worst = 0;
            foreach (var run in Benchmarks.Values) worst = Math.Max(worst, run([]));
            return worst;
        }
        if (Benchmarks.TryGetValue(name, out var benchmark)) return benchmark(rest);
        Console.Error.WriteLine($"unknown spine benchmark '{name}'; known: {string.Join(", ", Benchmarks.Keys)}, all");
        return 2;
    }
}
