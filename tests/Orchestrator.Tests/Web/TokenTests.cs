using Ablations.Orchestrator.Web;
using System.Net;
using System.Text.RegularExpressions;

namespace Ablations.Orchestrator.Tests.Web;

/// <summary>Who may talk to `ablate serve`: loopback without a token, anything else only with one, on every request.</summary>
[Collection("processes")]
public sealed class TokenTests
{
    private const string Token = "s3cret-token";

    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("http://127.0.0.1:5000;http://localhost:5001", true)]
    [InlineData("http://0.0.0.0:5000", false)]
    [InlineData("http://*:5000", false)]
    [InlineData("http://+:5000", false)]
    [InlineData("http://[::]:5000", false)]
    [InlineData("http://lab-box.example:5000", false)]
    [InlineData("http://127.0.0.1:5000;http://10.1.2.3:5000", false)]
    public void Check_WithoutToken_OnlyLoopbackAllowed(string urls, bool allowed)
    {
        Assert.Equal(allowed, ListenAddresses.Check(urls, null) is null);
        Assert.Null(ListenAddresses.Check(urls, Token));
    }

    [Theory]
    [InlineData("127.0.0.1:5000", "not an http address")]
    [InlineData("ftp://127.0.0.1", "not an http address")]
    [InlineData("https://127.0.0.1:5001", "serve speaks plain http; for TLS put a reverse proxy in front")]
    [InlineData("http://:5000", "has no host")]
    [InlineData("", "--urls is empty")]
    public void Check_UnreadableUrls_SayWhy(string urls, string reason) =>
        Assert.Contains(reason, ListenAddresses.Check(urls, Token));

    [Fact]
    public async Task Api_TokenConfigured_401WithoutOrWithWrongToken_200WithBearer()
    {
        using var dir = new TempDir();
        await using var server = await WebServer.Start(dir.Root, Path.Combine(dir.Path, "reports"), Token);
        using var wrong = server.WithToken("guess");
        using var right = server.WithToken(Token);

        using var none = await server.Client.GetAsync("/api/experiments");
        using var bad = await wrong.GetAsync("/api/experiments");
        using var page = await server.Client.GetAsync("/");
        using var ok = await right.GetAsync("/api/experiments");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Contains("Authorization: Bearer TOKEN", await none.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("[]", await ok.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Browser_QueryToken_SetsHttpOnlyCookieAndRedirectsToCleanAddress()
    {
        using var dir = new TempDir();
        await using var server = await WebServer.Start(dir.Root, Path.Combine(dir.Path, "reports"), Token);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.Address };

        using var first = await browser.GetAsync($"/?token={Token}&x=1");
        using var next = await browser.GetAsync("/api/experiments");
        using var dashboard = await browser.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/?x=1", first.Headers.Location?.ToString());
        Assert.Contains(first.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"{TokenGate.CookieName}=", StringComparison.Ordinal) && c.Contains("httponly"));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }

    [Fact]
    public async Task Dashboard_TokenConfigured_401WithoutIt_WritableWithIt()
    {
        using var dir = new TempDir();
        await using var server = await WebServer.Start(dir.Root, Path.Combine(dir.Path, "reports"), Token);
        using var right = server.WithToken(Token);

        using var anonymous = await server.Client.GetAsync("/hangfire");
        using var page = await right.GetAsync("/hangfire");
        using var empty = await right.PostAsync("/hangfire/jobs/enqueued/delete", new FormUrlEncodedContent([]));
        using var command = await right.PostAsync("/hangfire/jobs/enqueued/delete",
            new FormUrlEncodedContent([new KeyValuePair<string, string>("jobs[]", "12345")]));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal((HttpStatusCode)422, empty.StatusCode); // not read-only: Hangfire validates the (empty) job list
        Assert.Equal(HttpStatusCode.NoContent, command.StatusCode); // and runs the command
    }

    [Fact]
    public void Serve_NonLoopbackWithoutToken_RefusesWithExit2()
    {
        using var dir = new TempDir();

        var result = Ablate.Run(dir.Path, "serve", "--urls", "http://0.0.0.0:0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("refusing to serve http://0.0.0.0:0 without a token", result.Stderr);
        Assert.Contains("--token", result.Stderr);
    }

    [Fact]
    public async Task Serve_Loopback_AnswersThenStopsOnCtrlC()
    {
        using var dir = new TempDir();
        var process = Ablate.Start(dir.Path, "serve", "--urls", "http://127.0.0.1:0");
        try
        {
            string? url = null;
            var seen = new List<string>();
            while (url is null && await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line)
            {
                seen.Add(line);
                if (Regex.Match(line, @"serving (http://127\.0\.0\.1:\d+)") is { Success: true } m) url = m.Groups[1].Value;
            }
            if (url is null)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("no 'serving' line: " + string.Join('\n', seen) + await process.StandardError.ReadToEndAsync());
            }
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            Assert.Equal("[]", await client.GetStringAsync("/api/experiments"));

            Ablate.Signal(process, "INT");
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "serve did not stop on SIGINT");
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
