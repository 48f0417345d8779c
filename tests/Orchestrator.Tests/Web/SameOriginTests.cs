using System.Net;

namespace Ablations.Orchestrator.Tests.Web;

/// <summary>
/// A browser sends the token cookie to every port of the host, so a page served by anything else on 127.0.0.1
/// could post dashboard commands with it. The real server runs a state-changing request only when it comes from
/// its own origin, or from a client that is no browser (no Origin, no Sec-Fetch-Site).
/// </summary>
[Collection("processes")]
public sealed class SameOriginTests
{
    private const string Token = "s3cret-token";

    /// <summary>A Hangfire command (delete enqueued jobs) sent with the token cookie a browser holds, plus the given headers.</summary>
    private static async Task<HttpStatusCode> PostCommand(WebServer server, params (string Name, string Value)[] headers)
    {
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.Address };
        using (var login = await browser.GetAsync($"/?token={Token}"))
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.NotEmpty(cookies.GetCookies(server.Address));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hangfire/jobs/enqueued/delete")
        {
            Content = new FormUrlEncodedContent([new KeyValuePair<string, string>("jobs[]", "12345")]),
        };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await browser.SendAsync(request);
        return response.StatusCode;
    }

    public static TheoryData<string, string> CrossOrigin => new()
    {
        { "Origin", "http://127.0.0.1:1" },                 // another port of the same host: same site, other origin
        { "Origin", "http://attacker.example" },
        { "Origin", "null" },                                // a sandboxed frame or a redirect chain
        { "Sec-Fetch-Site", "same-site" },
        { "Sec-Fetch-Site", "cross-site" },
    };

    [Theory]
    [MemberData(nameof(CrossOrigin))]
    public async Task DashboardCommand_FromAnotherOrigin_Refused403(string header, string value)
    {
        using var dir = new TempDir();
        await using var server = await WebServer.Start(dir.Root, Path.Combine(dir.Path, "reports"), Token);

        Assert.Equal(HttpStatusCode.Forbidden, await PostCommand(server, (header, value)));
    }

    [Fact]
    public async Task DashboardCommand_SameOriginOrNoBrowser_Runs()
    {
        using var dir = new TempDir();
        await using var server = await WebServer.Start(dir.Root, Path.Combine(dir.Path, "reports"), Token);
        var origin = server.Address.GetLeftPart(UriPartial.Authority);

        Assert.Equal(HttpStatusCode.NoContent, await PostCommand(server, ("Origin", origin)));
        Assert.Equal(HttpStatusCode.NoContent, await PostCommand(server, ("Origin", origin), ("Sec-Fetch-Site", "same-origin")));
        Assert.Equal(HttpStatusCode.NoContent, await PostCommand(server)); // curl and scripts send neither header
    }

    [Fact]
    public async Task Refusal_SaysWhy()
    {
        using var dir = new TempDir();
        await using var server = await WebServer.Start(dir.Root, Path.Combine(dir.Path, "reports"), Token);
        using var client = server.WithToken(Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hangfire/jobs/enqueued/delete") { Content = new FormUrlEncodedContent([]) };
        request.Headers.TryAddWithoutValidation("Origin", "http://127.0.0.1:1");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("http://127.0.0.1:1", await response.Content.ReadAsStringAsync());
    }
}
