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
            if (slash >= 0) rest = rest[..slash];
            string host;
            if (rest.StartsWith('['))
            {
                var close = rest.IndexOf(']');
                if (close < 0) return ([], $"--urls: '{raw}' has an unclosed IPv6 address");
                host = rest[..(close + 1)];
            }
            else
            {
                var colon = rest.LastIndexOf(':');
                host = colon >= 0 ? rest[..colon] : rest;
            }
            if (host.Length == 0) return ([], $"--urls: '{raw}' has no host; e.g. {Default}");
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
