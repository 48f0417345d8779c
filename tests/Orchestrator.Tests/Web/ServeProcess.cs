using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Ablations.Orchestrator.Tests.Web;

/// <summary>A real `ablate serve` child process and the address it printed; disposing stops it with SIGINT, as Ctrl-C would.</summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int ProcessId => _process.Id;

    /// <summary>Starts `ablate serve ARGS` and waits for its "serving URL" line; fails the test with what it printed instead.</summary>
    public static async Task<ServeProcess> Start(string cwd, params string[] args)
    {
        var process = Ablate.Start(cwd, ["serve", .. args]);
        var seen = new List<string>();
        while (await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line)
        {
            seen.Add(line);
            if (Serving().Match(line) is { Success: true } m) return new ServeProcess(process, new Uri(m.Groups[1].Value));
        }
        process.Kill(entireProcessTree: true);
        throw new Xunit.Sdk.XunitException("no 'serving' line: " + string.Join('\n', seen) + await process.StandardError.ReadToEndAsync());
    }

    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", bearer);
        return client;
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Ablate.Signal(_process, "INT");
            if (!_process.WaitForExit(TimeSpan.FromSeconds(30))) _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"serving (http://\S+?)(?:;| |$)")]
    private static partial Regex Serving();
}
