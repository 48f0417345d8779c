using Ablations.Core.Store;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Ablations.Queue;

/// <summary>The job queue's own dashboard (Hangfire's), mounted in the web UI behind the UI's token gate.</summary>
public static class JobDashboard
{
    public const string Path = "/hangfire";

    /// <summary>
    /// What the dashboard looks for, registered directly: AddHangfire would also point Hangfire's static log provider at
    /// the app's logger factory, which outlives the app (a second app in one process then logs into a disposed
    /// factory). The job storage goes to the dashboard itself, never made global.
    /// </summary>
    public static void AddServices(IServiceCollection services)
    {
        services.AddSingleton<IGlobalConfiguration>(GlobalConfiguration.Configuration);
        services.AddSingleton(DashboardRoutes.Routes);
    }

    /// <summary>Mounts it at <see cref="Path"/>: visible to whom <paramref name="allows"/> lets in, read-only where <paramref name="readOnly"/> says.</summary>
    public static void Map(IApplicationBuilder app, Workspace workspace, Func<HttpContext, bool> allows, Func<HttpContext, bool> readOnly)
    {
        var access = new Access(allows, readOnly);
        app.UseHangfireDashboard(Path, new DashboardOptions
        {
            Authorization = [access],
            IsReadOnlyFunc = access.IsReadOnly,
            DashboardTitle = "Ablations · jobs",
            AppPath = "/",
            DisplayStorageConnectionString = false,
        }, JobStorageFactory.Create(workspace));
    }

    /// <summary>
    /// Hangfire's default filter would allow local requests only; this one defers to the web UI's token gate. Read-only
    /// unless the request carries the token, so without a token configured nobody can delete or requeue jobs from it.
    /// </summary>
    private sealed class Access(Func<HttpContext, bool> allows, Func<HttpContext, bool> readOnly) : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => allows(context.GetHttpContext());

        public bool IsReadOnly(DashboardContext context) => readOnly(context.GetHttpContext());
    }
}
