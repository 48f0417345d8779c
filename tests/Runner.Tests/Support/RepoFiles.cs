namespace Ablations.Runner.Tests.Support;

/// <summary>Files of this repository that tests read (fixtures, the shipped miniature DataCompDR), found from the test binary's folder.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = Find();

    /// <summary>experiments/real/mini/data: the DataCompDR miniature written by make_mini_datacompdr.py.</summary>
    public static string MiniDataCompDr => Path.Combine(Root, "experiments", "real", "mini", "data");

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ablations.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
