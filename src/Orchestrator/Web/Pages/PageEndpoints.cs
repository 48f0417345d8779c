using Ablations.Orchestrator.Web.Api;

namespace Ablations.Orchestrator.Web.Pages;

/// <summary>The HTML pages and the reports folder. Unknown names get a 404 page that says what exists.</summary>
internal static class PageEndpoints
{
    public static void Map(WebApplication app, ExperimentQueries queries, ReportFiles reports)
    {
        app.MapGet("/", () => Page(ExperimentsPage.Render(queries.List())));
        app.MapGet("/experiments/{name}", (string name, string? filter, int? revision) => queries.Detail(name, revision) switch
        {
            ({ } detail, _) => Page(ExperimentPage.Render(detail, filter, revision)),
            (_, var error) => NotFound(error!.Error),
        });
        app.MapGet("/runs/{id}", (string id, string? experiment) => queries.Run(id, experiment) switch
        {
            ({ } run, _) => Page(RunPage.Render(run, hash => queries.Log(hash, 8 * 1024).Item1)),
            (_, var error) => NotFound(error!.Error, error.Status),
        });
        app.MapGet("/runners", () => Page(RunnersPage.Render(queries.Runners(), DateTime.UtcNow)));
        app.MapGet("/reports/{**path}", (string path) => reports.Find(path) is { } file
            ? Results.File(file.Path, file.ContentType)
            : NotFound($"no report file '{path}' under {reports.Root}; `ablate report EXPERIMENT` writes one"));
    }

    private static IResult Page(string html) => Results.Content(html, "text/html; charset=utf-8");

    private static IResult NotFound(string message, int status = StatusCodes.Status404NotFound) =>
        Results.Content(Html.Page("Not found", $"<h1>Not found</h1><p>{Html.E(message)}</p><p><a href=\"/\">All experiments</a></p>"),
            "text/html; charset=utf-8", statusCode: status);
}
