namespace Ablations.Core.Spec;

/// <summary>Bounds that keep hostile or runaway input from hanging or crashing the loader.</summary>
internal static class SpecLimits
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxDepth = 64;
    /// <summary>Nodes counted with aliases expanded: stops "billion laughs" alias bombs early.</summary>
    public const int MaxExpandedNodes = 200_000;
    /// <summary>Runs (cells × seeds) allowed without an explicit run_cap.</summary>
    public const int MaxRunsWithoutCap = 10_000;
    /// <summary>Cells a grid may enumerate at all, even with run_cap.</summary>
    public const long MaxGridCells = 1_000_000;
}
