namespace Ablations.Bench;

/// <summary>
/// Benchmarks that report ratios to their targets. Usage: dotnet run -c Release -- CASE [options].
/// To add a case, add one line to <see cref="Cases"/>.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, Func<string[], int>> Cases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["decode"] = ImageDecodeBenchmark.Run,
        ["dr-pipeline"] = DrPipelineBenchmark.Run,
        ["dr-replay"] = DrReplayBenchmark.Run,
        ["report"] = ReportBenchmark.Run,
        ["runner"] = RunnerBenchmarks.Run,
        ["spawn"] = SpawnBenchmark.Run,
        ["spine"] = SpineBenchmarks.Run,
        ["torch-peer"] = TorchPeerBenchmark.Run,
    };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Cases.TryGetValue(args[0], out var run))
        {
            Console.Error.WriteLine($"usage: Ablations.Bench CASE [options]; cases: {string.Join(", ", Cases.Keys.Order(StringComparer.Ordinal))}");
            return 2;
        }

        return run(args[1..]);
    }
}
