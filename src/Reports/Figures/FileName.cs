using System.Text;

namespace Ablations.Reports.Figures;

internal static class FileName
{
    /// <summary>A file-name-safe form of a key: letters, digits, '-' and '_' kept, the rest become '_'.</summary>
    public static string Of(string key)
    {
        var sb = new StringBuilder(key.Length);
        foreach (char c in key)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_');
        }

        return sb.ToString();
    }
}
