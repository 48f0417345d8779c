using Ablations.Core.Store;
using Ablations.Orchestrator.Web.Api;
using Ablations.Orchestrator.Web.Pages;
using Ablations.Runner.Hosting;
using Hangfire;
using Hangfire.Dashboard;
using System.Text.Json.Serialization;

namespace Ablations.Orchestrator.Web;

/// <summary>
/// The `ablate serve` application: pages, the JSON API, the reports folder and the Hangfire dashboard behind one
/// token gate. It only reads: it hosts no Hangfire server (one process per SQLite job store may), and the
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
        // What UseHangfireDashboard looks for, registered directly: AddHangfire would also point Hangfire's static
        // log provider at this app's logger factory, which outlives the app (a second app in one process then
        // logs into a disposed factory). The job storage goes to the dashboard itself, never made global.
        builder.Services.AddSingleton<IGlobalConfiguration>(GlobalConfiguration.Configuration);
        builder.Services.AddSingleton(DashboardRoutes.Routes);

        var store = ResultsStore.Open(options.Workspace.Store);
        var reports = new ReportFiles(options.ReportsDir);
        var queries = new ExperimentQueries(store, options.Workspace, reports);
        var gate = new TokenGate(options.Token);
        var app = builder.Build();

        var security = new WebSecurity(WebSecurity.AllowedHosts(ListenAddresses.Parse(options.Urls).Urls, options.AllowedHosts ?? []));
        app.Use((context, next) => security.Invoke(context, () => next(context)));
        app.Use((context, next) => gate.Invoke(context, () => next(context)));
        var access = new DashboardAccess(gate);
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [access],
            IsReadOnlyFunc = access.IsReadOnly,
            DashboardTitle = "Ablations · jobs",
            AppPath = "/",
            DisplayStorageConnectionString = false,
        }, JobStorageFactory.Create(options.Workspace));
        ApiEndpoints.Map(app, queries);
        PageEndpoints.Map(app, queries, reports);
        return app;
    }
}
