namespace Ablations.Reports.Figures;

/// <summary>Axis titles with units for the metric and curve names the pipeline records.</summary>
internal static class MetricUnits
{
    public static string Label(string name)
    {
        string n = name.ToLowerInvariant();
        if (n.Contains("loss"))
        {
            return $"{name} (nats)";
        }

        if (n.Contains("seconds") || n.EndsWith("_time", StringComparison.Ordinal))
        {
            return $"{name} (s)";
        }

        if (n is "lr" or "learning_rate")
        {
            return $"{name} (learning rate)";
        }

        if (n.Contains("logit_scale") || n.Contains("scale"))
        {
            return $"{name} (×, unitless)";
        }

        if (n.Contains("top1") || n.Contains("top5") || n.Contains("zeroshot") || n.Contains("_r1") || n.Contains("_r5")
            || n.Contains("acc") || n.Contains("precision") || n.Contains("recall") || n.Contains("distinct"))
        {
            return $"{name} (fraction, 0–1)";
        }

        return $"{name} (value)";
    }
}
