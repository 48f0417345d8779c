using Ablations.Core.Store;
using System.Diagnostics;

namespace Ablations.Orchestrator.Scheduling;

/// <summary>
/// The runner child process that `ablate run` supervises. A separate process, so a native crash inside a
/// training job cannot take the orchestrator down; closing its standard input asks it to stop gracefully.
/// </summary>
public sealed class LocalRunnerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private LocalRunnerProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Set on every line the runner writes to stdout (it writes one per finished stage): a reason to look at the store now rather than at the next poll.</summary>
    public AutoResetEvent Output { get; } = new(false);

    /// <summary>The runner's last "error: …" line on stderr (without the prefix), e.g. why it lost the results store; complete once it has exited.</summary>
    public string? LastError
    {
        get
        {
            if (_process.HasExited) _process.WaitForExit(); // the redirected output is read to its end
            return _lastError;
        }
    }

    private string? _lastError;
    public int ExitCode => _process.ExitCode;
    public int Id => _process.Id;

    public static LocalRunnerProcess Start(Workspace workspace, IEnumerable<string> queues, int threads, int workers, string? db, double staleAfterSeconds = 30)
    {
        var (exe, prefix) = SelfCommand();
        var psi = new ProcessStartInfo(exe);
        foreach (var a in prefix) psi.ArgumentList.Add(a);
        foreach (var a in new[] { "runner", "--root", workspace.Root, "--queues", string.Join(",", queues.Distinct()), "--supervised",
                     "--stale-after", staleAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        if (threads > 0) { psi.ArgumentList.Add("--threads"); psi.ArgumentList.Add(threads.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
        if (workers > 1) { psi.ArgumentList.Add("--workers"); psi.ArgumentList.Add(workers.ToString(System.Globalization.CultureInfo.InvariantCulture)); }
        if (db is not null) psi.Environment["ABLATIONS_DB"] = db; // not on the command line: `ps` would show a password in it
        // The runner makes the same few store and queue calls for every stage. Precompiled (an installed, ReadyToRun
        // ablate), re-compiling that code in the background (tiered JIT) was two thirds of its CPU on a grid of short
        // command stages (bench/RESULTS.md); it keeps the precompiled code. A build without precompiled code would have
        // to compile everything fully optimised at start instead, so it keeps the default; so does a user's own setting.
        if (IsPrecompiled && Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") is null)
            psi.Environment["DOTNET_TieredCompilation"] = "0";
        return Launch(psi, Path.Combine(workspace.LogsDir, "runner.log"));
    }

    /// <summary>Whether this ablate was published ReadyToRun (its assembly carries native code: a ManagedNativeHeader).</summary>
    internal static bool IsPrecompiled { get; } = HasNativeCode(typeof(LocalRunnerProcess).Assembly.Location);

    internal static bool HasNativeCode(string assembly)
    {
        try
        {
            using var stream = File.OpenRead(assembly);
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
        }
        catch (Exception e) when (e is IOException or BadImageFormatException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Starts <paramref name="psi"/> (its stdin kept open as the stop signal) with stdout and stderr appended to <paramref name="logPath"/>.</summary>
    internal static LocalRunnerProcess Launch(ProcessStartInfo psi, string logPath)
    {
        psi.RedirectStandardInput = psi.RedirectStandardOutput = psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = psi };
        LocalRunnerProcess? self = null;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.WriteLine(e.Data);
            self?.Output.Set();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.WriteLine(e.Data);
            if (e.Data.StartsWith("error: ", StringComparison.Ordinal) && self is not null) self._lastError = e.Data["error: ".Length..];
        };
        self = new LocalRunnerProcess(process, log);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return self;
    }

    /// <summary>
    /// How to start this same program again: the apphost when we run as one, else `dotnet ablate.dll` (as under
    /// `dotnet run`, `dotnet test` or a framework-dependent publish).
    /// </summary>
    public static (string Exe, string[] Prefix) SelfCommand()
    {
        var dll = typeof(LocalRunnerProcess).Assembly.Location;
        var apphost = Path.Combine(Path.GetDirectoryName(dll)!, "ablate");
        if (File.Exists(apphost) && Environment.ProcessPath is { } current && Path.GetFileName(current) == "ablate") return (apphost, []);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(dotnet) || !File.Exists(dotnet))
            dotnet = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        return (dotnet, [dll]);
    }

    /// <summary>Asks the runner to stop without waiting for it (<see cref="Stop"/> then waits).</summary>
    public void RequestStop()
    {
        if (_process.HasExited) return;
        try { _process.StandardInput.Close(); }
        catch (IOException) { }
    }

    /// <summary>Asks the runner to stop (its running stages go back to the queue), then kills it after the grace period.</summary>
    /// <remarks>Also when the runner has already exited, waits until its last output lines are in the log (a crashed runner's final words are what the log is for).</remarks>
    public void Stop(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            RequestStop();
            if (!_process.WaitForExit(grace)) _process.Kill(entireProcessTree: true);
        }
        _process.WaitForExit(); // the parameterless overload also drains the redirected output
    }

    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(30));
        _process.Dispose();
        lock (_log) _log.Dispose();
        Output.Dispose();
    }
}
