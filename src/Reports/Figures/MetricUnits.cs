namespace Ablations.Reports.Figures;

/// <summary>
/// The one place that reads a metric's kind from its name (the metric and curve names the pipeline records):
/// axis titles with units, and the range figures clip intervals and axes to.
/// </summary>
internal static class MetricUnits
{
    // Cross-entropy / KL losses and their parts are never negative.
    private static readonly MetricKind Loss = new("nats", 0, null);
    private static readonly MetricKind Seconds = new("s", 0, null);
    private static readonly MetricKind LearningRate = new("learning rate", 0, null);

    // Logit scales are exp(parameter) and KD scales are positive settings.
    private static readonly MetricKind Scale = new("×, unitless", 0, null);

    // Accuracies, recalls, precisions and distinct-n ratios: a count over a total.
    private static readonly MetricKind Fraction = new("fraction, 0–1", 0, 1);
    private static readonly MetricKind Value = new("value", null, null);

    public static string Label(string name) => $"{name} ({Of(name).Unit})";

    public static MetricKind Of(string name)
    {
        string n = name.ToLowerInvariant();
        if (n.Contains("loss"))
        {
            return Loss;
        }

        if (n.Contains("seconds") || n.EndsWith("_time", StringComparison.Ordinal))
        {
            return Seconds;
        }

        if (n is "lr" or "learning_rate" || n.EndsWith(".lr", StringComparison.Ordinal))
        {
            return LearningRate;
        }

        if (n.Contains("logit_scale") || n.Contains("scale"))
        {
            return Scale;
        }

        if (n.Contains("top1") || n.Contains("top5") || n.Contains("zeroshot") || n.Contains("_r1") || n.Contains("_r5")
            || n.Contains("acc") || n.Contains("precision") || n.Contains("recall") || n.Contains("distinct"))
        {
            return Fraction;
        }

        return Value;
    }
}
