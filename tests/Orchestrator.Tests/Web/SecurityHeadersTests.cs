using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ablations.Orchestrator.Tests.Web;

/// <summary>
/// Every response of the real server says how a browser may use it: no framing, no MIME sniffing, no referrer,
/// and a Content-Security-Policy under which a page runs its own inline script and style and nothing else.
/// </summary>
[Collection("processes")]
public sealed partial class SecurityHeadersTests(SubmittedWorkspace workspace) : IClassFixture<SubmittedWorkspace>
{
    private static void AssertHeaders(HttpResponseMessage response, string what)
    {
        string One(string name) =>
            response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
                ? string.Join(", ", values) : throw new Xunit.Sdk.XunitException($"{what}: no {name} header");
        Assert.Equal("nosniff", One("X-Content-Type-Options"));
        Assert.Equal("DENY", One("X-Frame-Options"));
        Assert.Equal("no-referrer", One("Referrer-Policy"));
        var csp = One("Content-Security-Policy");
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("base-uri 'none'", csp);
        Assert.DoesNotContain("'unsafe-eval'", csp);
        Assert.DoesNotContain("script-src 'unsafe-inline'", csp);
    }

    private async Task<string> AnyRunId(WebServer server) =>
        (string)JsonNode.Parse(await server.Client.GetStringAsync("/api/experiments/tags/runs"))!["runs"]![0]!["id"]!;

    [Theory]
    [InlineData("/")]
    [InlineData("/experiments/tags")]
    [InlineData("/experiments/nope")]
    [InlineData("/runs/{run}")]
    [InlineData("/api/experiments")]
    [InlineData("/api/experiments/tags/runs?filter=nonsense")]
    [InlineData("/api/nothing")]
    [InlineData("/reports/tags/index.html")]
    [InlineData("/reports/tags/missing.html")]
    [InlineData("/hangfire")]
    [InlineData("/hangfire/jobs/enqueued")]
    public async Task Response_AnyPath_CarriesTheSecurityHeaders(string path)
    {
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(workspace.Reports, "tags")).FullName, "index.html"), "<p>report</p>");
        await using var server = await workspace.Serve();
        path = path.Replace("{run}", await AnyRunId(server), StringComparison.Ordinal);

        using var response = await server.Client.GetAsync(path);

        AssertHeaders(response, path);
    }

    [Fact]
    public async Task Response_RefusedOrUnauthorized_CarriesTheSecurityHeadersToo()
    {
        await using var server = await workspace.Serve(token: "s3cret");
        using var foreign = new HttpRequestMessage(HttpMethod.Get, "/");
        foreign.Headers.Host = "rebind.attacker.example";

        using var unauthorized = await server.Client.GetAsync("/");
        using var unauthorizedApi = await server.Client.GetAsync("/api/experiments");
        using var refused = await server.Client.SendAsync(foreign);

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        AssertHeaders(unauthorized, "401 page");
        AssertHeaders(unauthorizedApi, "401 api");
        Assert.Equal(HttpStatusCode.MisdirectedRequest, refused.StatusCode);
        AssertHeaders(refused, "421");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/experiments/tags")]
    [InlineData("/runs/{run}")]
    [InlineData("/experiments/nope")]
    public async Task Page_Policy_RunsExactlyOurOwnInlineScripts(string path)
    {
        await using var server = await workspace.Serve();
        path = path.Replace("{run}", await AnyRunId(server), StringComparison.Ordinal);

        using var response = await server.Client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        var csp = string.Join(", ", response.Headers.GetValues("Content-Security-Policy"));
        var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0], d => d);

        static string Hash(string code) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(code)))}'";
        var allowed = directives["script-src"].Split(' ').Skip(1).ToHashSet();
        Assert.All(allowed, source => Assert.StartsWith("'sha256-", source)); // no 'unsafe-inline', no host: hashes only
        Assert.All(ScriptBlock().Matches(html), m => Assert.Contains(Hash(m.Groups[1].Value), allowed)); // ours run
        Assert.DoesNotContain(Hash("alert(1)"), allowed); // an injected one would not
        Assert.Equal("default-src 'none'", directives["default-src"]);
        Assert.Equal("connect-src 'self'", directives["connect-src"]);
    }

    [Fact]
    public async Task Report_Policy_AllowsItsStylesButNoScript()
    {
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(workspace.Reports, "tags")).FullName, "index.html"), "<p>report</p>");
        await using var server = await workspace.Serve();

        using var response = await server.Client.GetAsync("/reports/tags/index.html");
        var csp = string.Join(", ", response.Headers.GetValues("Content-Security-Policy"));

        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("style-src 'unsafe-inline'", csp);
        Assert.DoesNotContain("script-src", csp);
    }

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptBlock();
}
