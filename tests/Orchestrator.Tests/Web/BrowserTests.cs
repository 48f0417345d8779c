using Microsoft.Playwright;

namespace Ablations.Orchestrator.Tests.Web;

/// <summary>
/// The experiment page in a real browser: Playwright's driver with Debian's chromium (it cannot download its own
/// here; .ci/run installs chromium). Without chromium it is skipped locally and fails in CI, saying how to install it.
/// </summary>
[Collection("processes")]
public sealed class BrowserTests(GridWorkspace grid) : IClassFixture<GridWorkspace>
{
    private const string Chromium = "/usr/bin/chromium";

    private static async Task<IBrowser> Launch(IPlaywright playwright) =>
        await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });

    [SkippableFact]
    public async Task ExperimentPage_FilterSortAndOpenRun_InChromium()
    {
        // The README's test command needs only the .NET SDK: skip on a developer machine without chromium,
        // but in CI (CI=true), where .ci/run installs it, a missing browser is a failure.
        Skip.If(!File.Exists(Chromium) && Environment.GetEnvironmentVariable("CI") != "true",
            $"{Chromium} is not installed (apt-get install -y chromium); CI installs it and runs this test");
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: the browser test needs Debian's chromium; install it with "
            + "`apt-get update && apt-get install -y --no-install-recommends chromium` (.ci/run does this)");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        await using var server = await grid.Serve();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Launch(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 860 } });
        // Generous waits: CI runs the other test projects beside this one on two cores.
        page.SetDefaultTimeout(30_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        var rows = page.Locator("#runs tbody tr");
        var blocked = new List<string>(); // what the Content-Security-Policy stopped: nothing of ours may be in it
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal)) blocked.Add(m.Text); };

        await page.GotoAsync(new Uri(server.Address, "/experiments/toy").ToString());
        await Assertions.Expect(rows).ToHaveCountAsync(8);
        await Assertions.Expect(page.Locator("#counts")).ToHaveTextAsync("4/8 done, 4 failed");

        await page.FillAsync("#filter", "params.a = 2 and params.b = 3 and seed = 2");
        await page.PressAsync("#filter", "Enter");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        Assert.Equal("23.02", await rows.First.Locator("td[data-col=score]").InnerTextAsync());
        Assert.Contains("filter=params.a", page.Url);

        await page.FillAsync("#filter", "metrics.score >");
        await page.PressAsync("#filter", "Enter");
        await Assertions.Expect(page.Locator("#filter-error")).ToContainTextAsync("position 16: expected a value after '>'");

        await page.FillAsync("#filter", "status = 'succeeded'");
        await page.PressAsync("#filter", "Enter");
        await Assertions.Expect(rows).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#filter-error")).ToBeHiddenAsync();
        var scoreHeader = page.Locator("#runs th[data-key='m:score']");
        await scoreHeader.ClickAsync();
        await Assertions.Expect(rows.First.Locator("td[data-col=score]")).ToHaveTextAsync("13.01");
        await page.Locator("#runs th[data-key='m:score']").ClickAsync();
        await Assertions.Expect(rows.First.Locator("td[data-col=score]")).ToHaveTextAsync("23.02");

        var screenshot = Path.Combine(grid.Path, "experiment-page.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is suspiciously small");
        if (Environment.GetEnvironmentVariable("ABLATIONS_SCREENSHOTS") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            File.Copy(screenshot, Path.Combine(keep, "experiment-page.png"), overwrite: true);
        }

        await rows.First.Locator("a").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Run");
        await Assertions.Expect(page.Locator("svg polyline")).ToHaveCountAsync(1);
        if (Environment.GetEnvironmentVariable("ABLATIONS_SCREENSHOTS") is { Length: > 0 } keepRun)
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(keepRun, "run-page.png"), FullPage = true });

        await page.GotoAsync(new Uri(server.Address, "/hangfire/jobs/succeeded").ToString());
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Succeeded Jobs");
        Assert.Empty(blocked);
    }

    /// <summary>
    /// The runners page, reached from the header as a user would: the grid's local runner (`ablate run` started it) is
    /// listed with its host, devices and state, stopped since the run ended; its reload script passes the CSP.
    /// </summary>
    [SkippableFact]
    public async Task RunnersPage_ListsTheRunnerThatRanTheGrid_InChromium()
    {
        Skip.If(!File.Exists(Chromium) && Environment.GetEnvironmentVariable("CI") != "true",
            $"{Chromium} is not installed (apt-get install -y chromium); CI installs it and runs this test");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        await using var server = await grid.Serve();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Launch(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        var blocked = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal)) blocked.Add(m.Text); };

        await page.GotoAsync(server.Address.ToString());
        await page.Locator("header nav a", new() { HasText = "runners" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Runners");
        var row = page.Locator("#runners tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(Environment.MachineName);
        await Assertions.Expect(row.Locator("td").Nth(3)).ToHaveTextAsync("stopped");
        await Assertions.Expect(row.Locator("td").Nth(4)).ToContainTextAsync("cpu");
        await page.ReloadAsync(); // the page's own reload script ran or not, a reload shows the same registry
        await Assertions.Expect(row).ToHaveCountAsync(1);
        Assert.Empty(blocked);
    }
}
