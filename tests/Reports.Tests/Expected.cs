namespace Ablations.Reports.Tests;

/// <summary>Compares output with tests/Reports.Tests/Expected/NAME exactly (copied beside the test binaries).</summary>
internal static class Expected
{
    public static void Check(string name, string actual)
    {
        if (Environment.GetEnvironmentVariable("ABLATIONS_UPDATE_EXPECTED") == "1")
        {
            File.WriteAllText(Path.Combine(SourceFolder(), name), actual);
            return;
        }

        string expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Expected", name));
        Assert.Equal(expected, actual);
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.Combine(Path.GetDirectoryName(path)!, "Expected");
}
