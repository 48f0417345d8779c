using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Ablations.Orchestrator.Web;

/// <summary>
/// With a token configured, every request must carry it: "Authorization: Bearer T", the cookie a browser gets
/// after opening any page with ?token=T once, or ?token=T itself. Without one the server is loopback-only
/// (enforced at start), and nothing is checked here.
/// </summary>
internal sealed class TokenGate(string? token)
{
    public const string CookieName = "ablations_token";

    private readonly byte[]? _token = string.IsNullOrEmpty(token) ? null : Encoding.UTF8.GetBytes(token);

    public bool Enabled => _token is not null;

    /// <summary>True when a token is configured and this request carries it.</summary>
    public bool Carries(HttpContext context) =>
        _token is not null && (Same(Bearer(context)) || Same(context.Request.Cookies[CookieName]) || Same(context.Request.Query["token"]));

    public bool Allows(HttpContext context) => !Enabled || Carries(context);

    public async Task Invoke(HttpContext context, Func<Task> next)
    {
        if (!Enabled)
        {
            await next();
            return;
        }
        var query = context.Request.Query["token"].ToString();
        if (query.Length > 0 && Same(query))
        {
            context.Response.Cookies.Append(CookieName, query, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, Path = "/",
            });
            // A page opened with ?token= is redirected to its clean address, so the token stays out of history and links.
            if (HttpMethods.IsGet(context.Request.Method) && !context.Request.Path.StartsWithSegments("/api"))
            {
                var rest = context.Request.Query.Where(q => q.Key != "token")
                    .SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}"));
                var clean = string.Join('&', rest);
                context.Response.Redirect(context.Request.PathBase + context.Request.Path + (clean.Length > 0 ? "?" + clean : ""));
                return;
            }
        }
        if (Carries(context))
        {
            await next();
            return;
        }
        const string message = "this server requires a token: send 'Authorization: Bearer TOKEN', or open any page once with ?token=TOKEN";
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = message }));
        }
        else
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(Pages.Html.Page("Token required", $"<h1>Token required</h1><p>{Pages.Html.E(message)}</p>"));
        }
    }

    private static string? Bearer(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    private bool Same(string? candidate) =>
        _token is not null && candidate is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _token);
}
