using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ablations.Orchestrator.Tests;

/// <summary>
/// A throwaway PostgreSQL cluster in a temp folder on a free loopback port, from the server binaries of Debian's
/// postgresql package (CI installs it). Run as the `postgres` user when the tests run as root, as PostgreSQL refuses root.
/// </summary>
internal sealed class PostgresServer : IDisposable
{
    private readonly string _dir;
    private readonly string _bin;

    private static string FindBin() => Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault() ?? ""
        : "";

    /// <summary>
    /// Skips the calling test on a developer machine without PostgreSQL (the README's test command needs only the
    /// .NET SDK); in CI (CI=true), where .ci/run installs it, a missing server is a failure instead.
    /// </summary>
    public static void SkipUnlessAvailable() =>
        Skip.If(FindBin().Length == 0 && Environment.GetEnvironmentVariable("CI") != "true",
            "PostgreSQL server binaries are not installed (apt-get install -y postgresql); CI installs them and runs this test");

    public PostgresServer()
    {
        _bin = FindBin();
        if (_bin.Length == 0)
            throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin; install them with `apt-get install -y postgresql` (.ci/run does)");
        _dir = Directory.CreateTempSubdirectory("ablate-pg-").FullName;
        Port = FreePort();
        Exec("chown", "-R", "postgres:postgres", _dir);
        AsPostgres(Path.Combine(_bin, "initdb"), "-D", Path.Combine(_dir, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8");
        Start();
    }

    /// <summary>Starts the server (again) on its port and waits until it accepts connections.</summary>
    public void Start() =>
        AsPostgres(Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off", "start");

    /// <summary>Stops the server as an operator's restart does (fast shutdown: open connections are closed) and waits until it is down.</summary>
    public void Stop() => AsPostgres(Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_dir, "data"), "-m", "fast", "-w", "stop");

    public int Port { get; }

    public string Url(string database = "postgres") => $"postgres://postgres@127.0.0.1:{Port}/{database}";

    private static bool IsRoot => Environment.UserName == "root";

    private void AsPostgres(string exe, params string[] args)
    {
        if (IsRoot) Exec("runuser", ["-u", "postgres", "--", exe, .. args]);
        else Exec(exe, args);
    }

    private static void Exec(string exe, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} {string.Join(' ', args)} failed ({p.ExitCode}): {output}");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try { AsPostgres(Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"); }
        catch (InvalidOperationException) { }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
