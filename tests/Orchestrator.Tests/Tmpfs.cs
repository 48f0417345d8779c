using System.Diagnostics;

namespace Ablations.Orchestrator.Tests;

/// <summary>
/// A small tmpfs mounted for one test: a disk that really fills, or a file system that is really read-only (root
/// ignores permission bits, so chmod cannot make one). Needs root and mount rights, as CI has (.ci/run runs as root);
/// elsewhere the test is skipped with the reason.
/// </summary>
internal sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    public static Tmpfs Mount(int megabytes, bool readOnly = false)
    {
        var path = Directory.CreateTempSubdirectory("ablate-tmpfs-").FullName;
        var (code, output) = Exec("mount", "-t", "tmpfs", "-o", $"size={megabytes}m{(readOnly ? ",ro" : "")}", "tmpfs", path);
        Skip.If(code != 0, $"cannot mount a tmpfs here ({output.Trim()}); the disk-full and read-only tests need root, as in CI");
        return new Tmpfs(path);
    }

    /// <summary>Gives the file system more room, as an operator freeing space does.</summary>
    public void Resize(int megabytes) => Check(Exec("mount", "-o", $"remount,size={megabytes}m", Path));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Exec("umount", "-l", Path);
        try { Directory.Delete(Path); } catch (IOException) { }
    }

    private static void Check((int Code, string Output) r)
    {
        if (r.Code != 0) throw new InvalidOperationException(r.Output);
    }

    private static (int Code, string Output) Exec(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }
}
