namespace Ablations.Orchestrator.Web.Api;

/// <summary>The JSON API under /api: the same data the pages show. Errors are {"error": "...", "position": n?}.</summary>
internal static class ApiEndpoints
{
    public static void Map(WebApplication app, ExperimentQueries queries)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/experiments", () => Results.Ok(queries.List()));
        api.MapGet("/runners", () => Results.Ok(queries.Runners().Select(v => new
        {
            v.Runner.Name, v.Runner.Id, v.Runner.Host, v.Runner.Pid, State = v.State(DateTime.UtcNow).ToString().ToLowerInvariant(),
            Devices = v.Runner.Devices.Split(','), v.Runner.WorkersPerDevice, Queues = v.Runner.Queues.Split(','), v.Runner.MemoryGb,
            v.Runner.Version, v.Runner.StartedAt, v.Runner.HeartbeatAt, v.Runner.DrainRequested,
            Stages = v.Stages.Select(s => new { s.Hash, s.Type, s.Progress, s.Phase, s.StartedAt }),
        })));
        api.MapGet("/experiments/{name}", (string name, int? revision) => Reply(queries.Detail(name, revision)));
        api.MapGet("/experiments/{name}/runs", (string name, string? filter, int? revision) => Reply(queries.Runs(name, filter, revision)));
        api.MapGet("/runs/{id}", (string id, string? experiment) => Reply(queries.Run(id, experiment)));
        api.MapGet("/stages/{hash}/log", (string hash, int? bytes) => Reply(queries.Log(hash, bytes ?? 16 * 1024)));
        api.MapFallback(() => Results.Json(new { error = "unknown API path; see /api/experiments" }, statusCode: StatusCodes.Status404NotFound));
    }

    public static IResult Reply<T>((T? Value, ApiError? Error) result) where T : class =>
        result.Error is { } e
            ? Results.Json(e.Position is null ? (object)new { error = e.Error } : new { error = e.Error, position = e.Position }, statusCode: e.Status)
            : Results.Ok(result.Value);
}
