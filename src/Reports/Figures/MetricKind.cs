namespace Ablations.Reports.Figures;

/// <summary>
/// What a metric measures, as far as its name tells (see <see cref="MetricUnits.Of"/>): the unit for axis titles
/// and the range its values can take, null for an open side. Figures keep intervals and axes inside the range:
/// a 95% Student-t interval over two seeds is ±12.7 standard errors and would otherwise draw an accuracy from
/// below 0 to above 1, or a loss below 0.
/// </summary>
internal sealed record MetricKind(string Unit, double? Min, double? Max)
{
    public double Clamp(double value) => Math.Clamp(value, Min ?? double.NegativeInfinity, Max ?? double.PositiveInfinity);

    /// <summary>"0–1", "≥ 0", "≤ 1" or "any value", for captions.</summary>
    public string RangeText => (Min, Max) switch
    {
        ({ } lo, { } hi) => $"{Number(lo)}–{Number(hi)}",
        ({ } lo, null) => $"≥ {Number(lo)}",
        (null, { } hi) => $"≤ {Number(hi)}",
        _ => "any value",
    };

    private static string Number(double d) => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
