using System.Text.Json.Nodes;

namespace Ablations.Core.Execution;

/// <summary>
/// Everything an executor may touch. It reads <see cref="Inputs"/> (role → finished artifact directory of
/// an upstream stage) and writes only under <see cref="OutputDir"/>, a fresh temporary directory that the
/// runner publishes atomically after success (a crash never leaves half an artifact visible).
/// </summary>
public sealed class StageContext
{
    public required string StageHash { get; init; }
    public required string StageType { get; init; }
    public required JsonObject Config { get; init; }
    public required IReadOnlyDictionary<string, string> Inputs { get; init; }
    public required string OutputDir { get; init; }
    /// <summary>Scratch space that survives a crash of this stage (checkpoints for resume); deleted after success.</summary>
    public required string ScratchDir { get; init; }
    public required IMetricSink Metrics { get; init; }
    /// <summary>Fraction done in [0,1] with an optional short phase text, shown in live progress.</summary>
    public required Action<double, string?> Progress { get; init; }
    public required TextWriter Log { get; init; }
    /// <summary>"cpu", "cuda" or "cuda:N": the first of <see cref="Devices"/>, where torch stages train.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>Every device the runner gave this attempt (resources.TYPE.devices of them); command stages see them all.</summary>
    public IReadOnlyList<string> Devices { get => _devices ?? [Device]; init => _devices = value; }
    private readonly IReadOnlyList<string>? _devices;
    public CancellationToken Cancellation { get; init; }

    public string Input(string role) =>
        Inputs.TryGetValue(role, out var dir)
            ? dir
            : throw new StageFailedException(FailureKind.InvalidConfig,
                $"stage {StageType} needs input '{role}' but has only: {string.Join(", ", Inputs.Keys)}");
}
