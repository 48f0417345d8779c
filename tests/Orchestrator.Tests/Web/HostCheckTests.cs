using System.Net;

namespace Ablations.Orchestrator.Tests.Web;

/// <summary>
/// DNS rebinding: a page on another site can point its own name at 127.0.0.1 and read a token-less loopback
/// server, but its requests still name that other host. The real server answers only to the names it is bound to.
/// </summary>
[Collection("processes")]
public sealed class HostCheckTests
{
    private static async Task<(HttpStatusCode Status, string Body)> Get(WebServer server, string path, string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = host;
        using var response = await server.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/api/experiments")]
    [InlineData("/hangfire")]
    [InlineData("/reports/x/index.html")]
    public async Task Request_ForeignHostHeader_Refused421(string path)
    {
        using var dir = new TempDir();
        await using var server = await WebServer.Start(dir.Root, Path.Combine(dir.Path, "reports"));

        var (status, body) = await Get(server, path, $"rebind.attacker.example:{server.Address.Port}");

        Assert.Equal(HttpStatusCode.MisdirectedRequest, status);
        Assert.Contains("'rebind.attacker.example'", body);
        Assert.Contains("127.0.0.1", body);
        Assert.Contains("--allowed-hosts", body);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("LocalHost")]
    public async Task Request_BoundAddressOrLocalhost_Served(string host)
    {
        using var dir = new TempDir();
        await using var server = await WebServer.Start(dir.Root, Path.Combine(dir.Path, "reports"));

        var (status, body) = await Get(server, "/api/experiments", $"{host}:{server.Address.Port}");

        Assert.Equal((HttpStatusCode.OK, "[]"), (status, body));
    }

    [Fact]
    public async Task Request_TokenServer_ForeignHostRefusedEvenWithTheToken()
    {
        using var dir = new TempDir();
        await using var server = await WebServer.Start(dir.Root, Path.Combine(dir.Path, "reports"), "s3cret");
        using var client = server.WithToken("s3cret");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/experiments");
        request.Headers.Host = "rebind.attacker.example";

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MisdirectedRequest, response.StatusCode);
    }
}
