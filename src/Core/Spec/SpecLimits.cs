namespace Ablations.Core.Spec;

/// <summary>Bounds that keep hostile or runaway input from hanging or crashing the loader.</summary>
internal static class SpecLimits
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxDepth = 64;
    /// <summary>Nodes counted with aliases expanded: stops "billion laughs" alias bombs early.</summary>
    public const int MaxExpandedNodes = 200_000;
    /// <summary>
    /// Nesting of one parameter value and of one stage's or variant's configuration. Together with at most 16
    /// dotted segments this keeps every run configuration well inside System.Text.Json's default depth of 64.
    /// </summary>
    public const int MaxValueDepth = 16;
    public const int MaxConfigDepth = 32;
    /// <summary>Runs (cells × seeds) allowed without an explicit run_cap.</summary>
    public const int MaxRunsWithoutCap = 10_000;
    /// <summary>Cells a grid may enumerate at all, even with run_cap.</summary>
    public const long MaxGridCells = 1_000_000;
    /// <summary>Values a grid may enumerate from one int_uniform or q_uniform range.</summary>
    public const int MaxGridRangeValues = 100_000;
}
