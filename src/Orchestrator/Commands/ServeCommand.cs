using Ablations.Orchestrator.Web;
using Spectre.Console;
using Spectre.Console.Cli;
using System.ComponentModel;

namespace Ablations.Orchestrator.Commands;

/// <summary>
/// The web UI: experiments, live progress, runs with filters, reports and the Hangfire dashboard. Loopback only
/// unless a token is given; it reads the stores and never executes jobs.
/// </summary>
public sealed class ServeCommand : Command<ServeCommand.Settings>
{
    public const string TokenVariable = "ABLATIONS_TOKEN";

    public sealed class Settings : StoreSettings
    {
        [CommandOption("--urls <URLS>")]
        [Description("Addresses to listen on, ';'-separated (default http://127.0.0.1:5000). Anything but loopback needs a token.")]
        public string Urls { get; init; } = ListenAddresses.Default;

        [CommandOption("--token <TOKEN>")]
        [Description("Require this token on every request (Authorization: Bearer TOKEN, or ?token=TOKEN once in a browser); default $ABLATIONS_TOKEN.")]
        public string? Token { get; init; }

        [CommandOption("--token-file <PATH>")]
        [Description("Read the token from this file (its first line) instead of the command line, where `ps` shows it to every user.")]
        public string? TokenFile { get; init; }

        [CommandOption("--allowed-hosts <NAMES>")]
        [Description("Comma-separated host names requests may carry besides the bound addresses (e.g. the name a reverse proxy forwards); others get 421.")]
        public string? AllowedHosts { get; init; }

        [CommandOption("--reports <DIR>")]
        [Description("Reports folder to link and serve read-only (default ./reports).")]
        public string Reports { get; init; } = "reports";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Token is not null && settings.TokenFile is not null)
        {
            Cli.Error("--token and --token-file both give the token; give one of them");
            return Cli.BadInput;
        }
        if (settings.TokenFile is { } tokenFile && !File.Exists(tokenFile))
        {
            Cli.Error($"--token-file {tokenFile}: no such file");
            return Cli.BadInput;
        }
        string? token;
        try
        {
            token = settings.Token ?? (settings.TokenFile is { } file ? File.ReadLines(file).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) : null)
                ?? Environment.GetEnvironmentVariable(TokenVariable);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Cli.Error($"--token-file {settings.TokenFile}: cannot read it ({e.Message.TrimEnd('.')})");
            return Cli.BadInput;
        }
        if (settings.TokenFile is not null && string.IsNullOrEmpty(token))
        {
            Cli.Error($"--token-file {settings.TokenFile}: the file is empty; put the token on its first line");
            return Cli.BadInput;
        }
        if (ListenAddresses.Check(settings.Urls, token) is { } refusal)
        {
            Cli.Error(refusal);
            return Cli.BadInput;
        }
        var hosts = (settings.AllowedHosts ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var app = WebApp.Build(new ServeOptions(settings.Workspace(), settings.Urls, token, settings.Reports, hosts));
        try
        {
            app.StartAsync(cancellationToken).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or FormatException or System.Net.Sockets.SocketException)
        {
            Cli.Error($"cannot listen on {settings.Urls}: {e.Message.TrimEnd('.')}; give an address of this machine with --urls, e.g. {ListenAddresses.Default}");
            return Cli.BadInput;
        }
        foreach (var url in app.Urls)
            AnsiConsole.MarkupLine($"serving [link]{Markup.Escape(url)}[/]{(string.IsNullOrEmpty(token) ? "" : " (token required)")}; dashboard at /hangfire; Ctrl-C to stop");
        app.WaitForShutdownAsync(cancellationToken).GetAwaiter().GetResult();
        app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return Cli.Ok;
    }
}
