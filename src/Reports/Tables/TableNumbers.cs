using System.Globalization;

namespace Ablations.Reports.Tables;

/// <summary>Number text shared by the table formats (invariant culture, so output does not depend on the machine).</summary>
internal static class TableNumbers
{
    public const string Missing = "—";

    /// <summary>Decimals for a column: 3 below 10, 2 below 100, else 1 (accuracies, losses and seconds all read well).</summary>
    public static int DecimalsFor(IEnumerable<double> means)
    {
        double max = means.Select(Math.Abs).DefaultIfEmpty(0).Max();
        return max >= 100 ? 1 : max >= 10 ? 2 : 3;
    }

    public static string Fixed(double value, int decimals) =>
        value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A signed difference: "+0.018", "-0.004" (ASCII minus, so CSV and Markdown stay plain).</summary>
    public static string Signed(double value, int decimals)
    {
        string text = Fixed(Math.Abs(value), decimals);
        return (value < 0 && text.Any(c => c is >= '1' and <= '9') ? "-" : "+") + text;
    }

    /// <summary>"mean ± std (n)", with the plus-minus sign given by the format.</summary>
    public static string MeanStd(TableCell cell, int decimals, string plusMinus)
    {
        if (cell.Mean is not { } mean)
        {
            return Missing;
        }

        string text = Fixed(mean, decimals);
        if (cell.Std is { } std)
        {
            text += $" {plusMinus} {Fixed(std, decimals)}";
        }

        return $"{text} ({cell.N.ToString(CultureInfo.InvariantCulture)})";
    }

    /// <summary>12 significant digits: exact enough for any analysis, free of last-bit noise (0.010000000000000009).</summary>
    public static string Raw(double? value) => value is { } v ? v.ToString("G12", CultureInfo.InvariantCulture) : "";
}
