using System.Net;

namespace Ablations.Orchestrator.Web;

/// <summary>Reads --urls (http only, separated by ';') and tells which hosts are loopback: only those may be served without a token.</summary>
internal static class ListenAddresses
{
    public const string Default = "http://127.0.0.1:5000";

    /// <summary>The URLs, or the first one that cannot be read.</summary>
    public static (IReadOnlyList<(string Url, string Host)> Urls, string? Error) Parse(string urls)
    {
        var parsed = new List<(string, string)>();
        foreach (var raw in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var scheme = raw.IndexOf("://", StringComparison.Ordinal);
            if (scheme > 0 && raw[..scheme] == "https")
                return ([], $"--urls: '{raw}': serve speaks plain http; for TLS put a reverse proxy in front of it (and keep the token)");
            if (scheme <= 0 || raw[..scheme] != "http")
                return ([], $"--urls: '{raw}' is not an http address; e.g. {Default}");
            var rest = raw[(scheme + 3)..];
            var slash = rest.IndexOf('/');
            if (slash >= 0)
            {
                if (rest[slash..] != "/") return ([], $"--urls: '{raw}' has the path '{rest[slash..]}'; serve answers at the root of its address: e.g. http://{rest[..slash]}");
                rest = rest[..slash];
            }
            string host, port;
            if (rest.StartsWith('['))
            {
                var close = rest.IndexOf(']');
                if (close < 0) return ([], $"--urls: '{raw}' has an unclosed IPv6 address");
                host = rest[..(close + 1)];
                var after = rest[(close + 1)..];
                if (after.Length > 0 && after[0] != ':') return ([], $"--urls: '{raw}': '{after}' after the IPv6 address is not a port; e.g. http://[::1]:5000");
                port = after.TrimStart(':');
            }
            else
            {
                var colon = rest.LastIndexOf(':');
                (host, port) = colon >= 0 ? (rest[..colon], rest[(colon + 1)..]) : (rest, "80");
            }
            if (host.Length == 0) return ([], $"--urls: '{raw}' has no host; e.g. {Default}");
            if (!int.TryParse(port, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number > 65535)
                return ([], $"--urls: '{raw}' has the port '{port}'; give a number from 0 to 65535 (0: any free port)");
            if (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && ip.IsIPv4MappedToIPv6)
                return ([], $"--urls: '{raw}' is an IPv4-mapped IPv6 address, which a socket cannot bind; write it as IPv4: http://{ip.MapToIPv4()}:{port}");
            if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) && number == 0)
                return ([], $"--urls: '{raw}': localhost needs a fixed port (it may be two addresses); for any free port use http://127.0.0.1:0");
            parsed.Add((raw, host));
        }
        return parsed.Count == 0 ? ([], $"--urls is empty; e.g. {Default}") : (parsed, null);
    }

    /// <summary>localhost and loopback IPs; a wildcard (*, +, 0.0.0.0, [::]) or any other name is not.</summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>Null when the server may start: every address is loopback, or a token is set.</summary>
    public static string? Check(string urls, string? token)
    {
        var (parsed, error) = Parse(urls);
        if (error is not null) return error;
        if (!string.IsNullOrEmpty(token)) return null;
        var exposed = parsed.Where(u => !IsLoopback(u.Host)).Select(u => u.Url).ToList();
        return exposed.Count == 0 ? null
            : $"refusing to serve {string.Join(", ", exposed)} without a token: anyone who can reach it could read results and job details. "
              + "Pass --token TOKEN (or set ABLATIONS_TOKEN), or bind to 127.0.0.1.";
    }
}
