namespace Ablations.Core.Store.Entities;

/// <summary>A metric point of a stage. Step is -1 for a final result. Written in batches by MetricWriter.</summary>
public sealed class MetricRow
{
    public long Id { get; set; }
    public required string StageHash { get; set; }
    public required string Name { get; set; }
    public long Step { get; set; }
    public double Value { get; set; }
    public DateTime Time { get; set; }
}
