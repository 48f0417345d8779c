namespace Ablations.Orchestrator.Tests.Web;

/// <summary>`ablate serve` with an address it cannot or should not listen on: a clear message and exit 2, never a crash or another address.</summary>
[Collection("processes")]
public sealed class ServeAddressTests
{
    /// <summary>Runs `ablate serve ARGS`, which should refuse at once; a server that starts instead fails the test after a minute.</summary>
    private static AblateResult Refused(TempDir dir, params string[] args) => Ablate.Wait(Ablate.Start(dir.Path, ["serve", .. args]), TimeSpan.FromSeconds(60));

    [Theory]
    [InlineData("http://[::ffff:127.0.0.1]:0", "IPv4-mapped", "http://127.0.0.1:0")]
    [InlineData("http://[::1]:0;http://[::ffff:127.0.0.1]:0", "IPv4-mapped", "http://127.0.0.1:0")]
    [InlineData("http://127.0.0.1:99999", "port '99999'", "0 to 65535")]
    [InlineData("http://127.0.0.1:abc", "port 'abc'", "0 to 65535")]
    [InlineData("http://127.0.0.1:0?x=1", "port '0?x=1'", "0 to 65535")]
    [InlineData("http://[::1]x:0", "after the IPv6 address", "http://[::1]:5000")]
    [InlineData("http://127.0.0.1:0/ui", "path '/ui'", "at the root")]
    [InlineData("http://localhost:0", "localhost needs a fixed port", "http://127.0.0.1:0")]
    public void Serve_MalformedOrUnbindableAddress_SaysWhyWithExit2(string urls, string what, string fix)
    {
        using var dir = new TempDir();

        var result = Refused(dir, "--urls", urls);

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.All}");
        Assert.Contains(what, result.Stderr);
        Assert.Contains(fix, result.Stderr);
        Assert.DoesNotContain("Unhandled exception", result.All);
    }

    [Fact]
    public void Serve_AddressNotOnThisMachine_CannotListenExit2()
    {
        using var dir = new TempDir();

        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a machine, so binding it fails with "cannot assign".
        var result = Refused(dir, "--urls", "http://192.0.2.1:0", "--token", "t");

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.All}");
        Assert.Contains("cannot listen on http://192.0.2.1:0", result.Stderr);
        Assert.DoesNotContain("Unhandled exception", result.All);
    }
}
