using System.Security.Cryptography;
using System.Text;

namespace Ablations.Orchestrator.Web;

/// <summary>
/// What every request and response of `ablate serve` goes through, before the token gate:
/// <list type="bullet">
/// <item>the Host header must name an address the server is bound to (421 otherwise): on a token-less loopback server,
/// a page on another site can point its own name at 127.0.0.1 (DNS rebinding) and read everything, but its requests
/// still carry that name;</item>
/// <item>a state-changing request (POST, PUT, PATCH, DELETE) from a browser must come from this server's own origin
/// (403 otherwise): the token cookie goes to every port of the host, so a page served by anything else on it could
/// post dashboard commands; a client that is no browser sends no Origin and no Sec-Fetch-Site, and passes;</item>
/// <item>every response says how a browser may use it: no framing, no MIME sniffing, no referrer, and a
/// Content-Security-Policy per kind of resource (pages run exactly their own inline scripts, by hash).</item>
/// </list>
/// </summary>
internal sealed class WebSecurity
{
    private readonly IReadOnlySet<string>? _hosts;

    /// <param name="allowedHosts">Host names requests may name; null accepts any (a wildcard bind without --allowed-hosts, where the token guards).</param>
    public WebSecurity(IReadOnlySet<string>? allowedHosts) => _hosts = allowedHosts;

    /// <summary>
    /// The names a server bound to <paramref name="urls"/> answers to: the bound hosts, plus localhost and both loopback
    /// IPs when any is loopback, plus <paramref name="extra"/> (--allowed-hosts). A wildcard bind (0.0.0.0, [::], *, +)
    /// accepts any name unless --allowed-hosts narrows it.
    /// </summary>
    public static IReadOnlySet<string>? AllowedHosts(IReadOnlyList<(string Url, string Host)> urls, IReadOnlyList<string> extra)
    {
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var wildcard = false;
        foreach (var (_, host) in urls)
        {
            var name = host.Trim('[', ']');
            if (name is "0.0.0.0" or "::" or "*" or "+") wildcard = true;
            else hosts.Add(name);
            if (ListenAddresses.IsLoopback(host)) hosts.UnionWith(["localhost", "127.0.0.1", "::1"]);
        }
        if (wildcard && extra.Count == 0) return null;
        hosts.UnionWith(extra.Select(h => h.Trim('[', ']')));
        return hosts;
    }

    public async Task Invoke(HttpContext context, Func<Task> next)
    {
        var path = context.Request.PathBase + context.Request.Path; // before a mapped branch (the dashboard) moves it into PathBase
        context.Response.OnStarting(() =>
        {
            Headers(context.Response.Headers, path);
            return Task.CompletedTask;
        });
        var host = context.Request.Host.Host.Trim('[', ']');
        if (_hosts is not null && !_hosts.Contains(host))
        {
            await Refuse(context, StatusCodes.Status421MisdirectedRequest,
                $"refusing a request for host '{host}': this server answers to {string.Join(", ", _hosts.Order(StringComparer.Ordinal))} " +
                "(a page of another site can point its own name at this machine); to serve it under another name, add --allowed-hosts NAME");
            return;
        }
        if (CrossOrigin(context) is { } why)
        {
            await Refuse(context, StatusCodes.Status403Forbidden, $"refusing {context.Request.Method} {context.Request.Path}: {why}");
            return;
        }
        await next();
    }

    /// <summary>Why a state-changing request is not from this server's own origin, or null when it may run.</summary>
    private static string? CrossOrigin(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)) return null;
        var self = $"{context.Request.Scheme}://{context.Request.Host}";
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, self, StringComparison.OrdinalIgnoreCase))
            return $"it comes from the page of origin {origin}, not from this server ({self})";
        var site = context.Request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
            return $"the browser says it comes from a {site} page (Sec-Fetch-Site), not from this server ({self})";
        return null;
    }

    private static async Task Refuse(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message + "\n");
    }

    private static void Headers(IHeaderDictionary h, PathString path)
    {
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        h.ContentSecurityPolicy = path.StartsWithSegments(Ablations.Queue.JobDashboard.Path) ? DashboardPolicy
            : path.StartsWithSegments("/reports") ? ReportPolicy
            : path.StartsWithSegments("/api") ? DataPolicy
            : PagePolicy;
    }

    private const string Frame = "frame-ancestors 'none'; base-uri 'none'";

    /// <summary>JSON and plain text: nothing to run, nothing to load.</summary>
    private const string DataPolicy = "default-src 'none'; " + Frame + "; form-action 'none'";

    /// <summary>A report is self-contained: inline styles and SVG, its own figures; no script.</summary>
    private const string ReportPolicy = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; " + Frame + "; form-action 'none'";

    /// <summary>
    /// Hangfire's dashboard loads its scripts and styles from /hangfire itself and posts its commands there; its
    /// charts use inline styles.
    /// </summary>
    private const string DashboardPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " + Frame + "; form-action 'self'";

    /// <summary>
    /// Our pages: their own inline scripts only, allowed by hash (an injected script has another hash and does not run);
    /// inline styles (the progress bars); data from the API; figures from the reports folder.
    /// </summary>
    private static readonly string PagePolicy =
        $"default-src 'none'; script-src {string.Join(' ', Pages.Html.Scripts.Select(Hash))}; style-src 'unsafe-inline'; " +
        $"connect-src 'self'; img-src 'self' data:; {Frame}; form-action 'self'";

    private static string Hash(string script) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)))}'";
}
