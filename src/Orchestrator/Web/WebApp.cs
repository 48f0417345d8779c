using Ablations.Core.Store;
using Ablations.Orchestrator.Web.Api;
using Ablations.Orchestrator.Web.Pages;
using Ablations.Queue;
using System.Text.Json.Serialization;

namespace Ablations.Orchestrator.Web;

/// <summary>
/// The `ablate serve` application: pages, the JSON API, the reports folder and the job queue's dashboard behind one
/// token gate. It only reads: it hosts no job workers (one process per SQLite job store may), and the
/// dashboard is read-only unless the request carries the token.
/// </summary>
internal static class WebApp
{
    /// <summary>Builds the app; the caller checks the addresses first (<see cref="ListenAddresses.Check"/>).</summary>
    public static WebApplication Build(ServeOptions options, LogLevel minimumLogLevel = LogLevel.Warning)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.SetMinimumLevel(minimumLogLevel);
        // A failed start (a port in use, an address not of this machine) is reported by `ablate serve` in one line.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
            o.SerializerOptions.WriteIndented = false;
        });
        JobDashboard.AddServices(builder.Services);

        var store = ResultsStore.Open(options.Workspace.Store);
        var reports = new ReportFiles(options.ReportsDir);
        var queries = new ExperimentQueries(store, options.Workspace, reports);
        var gate = new TokenGate(options.Token);
        var app = builder.Build();

        var security = new WebSecurity(WebSecurity.AllowedHosts(ListenAddresses.Parse(options.Urls).Urls, options.AllowedHosts ?? []));
        app.Use((context, next) => security.Invoke(context, () => next(context)));
        app.Use((context, next) => gate.Invoke(context, () => next(context)));
        JobDashboard.Map(app, options.Workspace, gate.Allows, http => !gate.Carries(http));
        ApiEndpoints.Map(app, queries);
        PageEndpoints.Map(app, queries, reports);
        return app;
    }
}
