using System.Net;

namespace Ablations.Orchestrator.Tests.Web;

/// <summary>The token given to `ablate serve` by a file, so it never shows in the process list.</summary>
[Collection("processes")]
public sealed class ServeSecretsTests
{
    [Fact]
    public async Task Serve_TokenFile_EveryRequestNeedsThatToken()
    {
        using var dir = new TempDir();
        var file = dir.Write("token", "from-a-file\n");
        await using var serve = await ServeProcess.Start(dir.Path, "--urls", "http://127.0.0.1:0", "--token-file", file);
        using var anonymous = serve.Client();
        using var right = serve.Client(bearer: "from-a-file");
        using var other = serve.Client(bearer: "from-a-file-too");

        using var none = await anonymous.GetAsync("/api/experiments");
        using var ok = await right.GetAsync("/api/experiments");
        using var wrong = await other.GetAsync("/api/experiments");

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode); // the file's trailing newline is not part of the token
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task Serve_TokenFile_AllowsBindingBeyondLoopback()
    {
        using var dir = new TempDir();
        var file = dir.Write("token", "t0ken");

        // 0.0.0.0 needs a token; the file's counts. The test talks to it over loopback.
        await using var serve = await ServeProcess.Start(dir.Path, "--urls", "http://0.0.0.0:0", "--token-file", file);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{serve.Address.Port}") };
        client.DefaultRequestHeaders.Authorization = new("Bearer", "t0ken");

        Assert.Equal("[]", await client.GetStringAsync("/api/experiments"));
    }

    [Theory]
    [InlineData("missing", "--token-file", "no such file")]
    [InlineData("empty", "--token-file", "is empty")]
    [InlineData("both", "--token and --token-file", "give one")]
    public void Serve_TokenFileUnusable_SaysWhyWithExit2(string kind, string what, string why)
    {
        using var dir = new TempDir();
        var file = kind == "missing" ? Path.Combine(dir.Path, "nope") : dir.Write("token", kind == "empty" ? " \n" : "t");
        string[] args = kind == "both" ? ["--token", "t", "--token-file", file] : ["--token-file", file];

        var result = Ablate.Wait(Ablate.Start(dir.Path, ["serve", "--urls", "http://127.0.0.1:0", .. args]), TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.All}");
        Assert.Contains(what, result.Stderr);
        Assert.Contains(why, result.Stderr);
    }
}
