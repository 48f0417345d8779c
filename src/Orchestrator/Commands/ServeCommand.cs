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

        [CommandOption("--reports <DIR>")]
        [Description("Reports folder to link and serve read-only (default ./reports).")]
        public string Reports { get; init; } = "reports";
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var token = settings.Token ?? Environment.GetEnvironmentVariable(TokenVariable);
        if (ListenAddresses.Check(settings.Urls, token) is { } refusal)
        {
            Cli.Error(refusal);
            return Cli.BadInput;
        }
        var app = WebApp.Build(new ServeOptions(settings.Workspace(), settings.Urls, token, settings.Reports));
        try
        {
            app.StartAsync(cancellationToken).GetAwaiter().GetResult();
        }
        catch (IOException e)
        {
            Cli.Error($"cannot listen on {settings.Urls}: {e.Message}; pick another port with --urls");
            return Cli.BadInput;
        }
        foreach (var url in app.Urls)
            AnsiConsole.MarkupLine($"serving [link]{Markup.Escape(url)}[/]{(string.IsNullOrEmpty(token) ? "" : " (token required)")}; dashboard at /hangfire; Ctrl-C to stop");
        app.WaitForShutdownAsync(cancellationToken).GetAwaiter().GetResult();
        app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return Cli.Ok;
    }
}
