using Ablations.Core.Store;
using Ablations.Orchestrator.Web;
using Microsoft.AspNetCore.Builder;
using System.Net.Http.Headers;

namespace Ablations.Orchestrator.Tests.Web;

/// <summary>The real `ablate serve` application on Kestrel, in this process, on a free loopback port.</summary>
internal sealed class WebServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }
    public HttpClient Client { get; }

    public static async Task<WebServer> Start(string root, string reportsDir, string? token = null)
    {
        var app = WebApp.Build(new ServeOptions(Workspace.Create(root, null), "http://127.0.0.1:0", token, reportsDir));
        await app.StartAsync();
        return new WebServer(app, new Uri(app.Urls.Single()));
    }

    public HttpClient WithToken(string token)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// A workspace filled by a real `ablate run` of a small command grid: a ∈ {1, 2} × b ∈ {3, 99} × seeds {1, 2}.
/// b = 99 fails (exit 3, "diverged badly"), so 4 runs succeed (score = a*10 + b + seed/100) and 4 fail.
/// </summary>
public sealed class GridWorkspace : IDisposable
{
    public const string Description = "Toy grid <script>alert('x')</script> & friends";

    private readonly TempDir _dir = new();

    public GridWorkspace()
    {
        _dir.Write("train.sh", Fixtures.Trainer);
        var spec = _dir.Write("toy.yaml", $"description: \"{Description}\"\n" + Fixtures.Spec("toy", "[1, 2]", "[3, 99]"));
        RunOutput = Ablate.Run(_dir.Path, "run", spec);
        if (RunOutput.ExitCode != 1) throw new InvalidOperationException($"ablate run should fail 4 runs (exit 1), got {RunOutput.ExitCode}: {RunOutput.All}");
    }

    internal AblateResult RunOutput { get; }
    public string Path => _dir.Path;
    public string Root => _dir.Root;
    public string Reports => System.IO.Path.Combine(_dir.Path, "reports");

    internal Task<WebServer> Serve(string? token = null) => WebServer.Start(Root, Reports, token);

    public void Dispose() => _dir.Dispose();
}
