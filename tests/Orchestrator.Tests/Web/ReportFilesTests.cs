using System.Net;
using System.Text.Json.Nodes;

namespace Ablations.Orchestrator.Tests.Web;

/// <summary>
/// The reports folder through the real server when it holds symbolic links: none is followed, so a link can
/// never serve or list a file from outside the folder.
/// </summary>
[Collection("processes")]
public sealed class ReportFilesTests(SubmittedWorkspace workspace) : IClassFixture<SubmittedWorkspace>
{
    private const string Secret = "not for the web";

    private string Outside(string name)
    {
        var dir = Directory.CreateDirectory(Path.Combine(workspace.Path, "outside")).FullName;
        File.WriteAllText(Path.Combine(dir, name), Secret);
        return Path.Combine(dir, name);
    }

    private string Report(string relative, string text)
    {
        var file = Path.Combine(workspace.Reports, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
        return file;
    }

    private void Link(string relative, string target)
    {
        var link = Path.Combine(workspace.Reports, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        if (File.Exists(link) || Directory.Exists(link)) File.Delete(link);
        File.CreateSymbolicLink(link, target);
    }

    [Fact]
    public async Task Reports_LinkOutOfTheFolder_404()
    {
        var secret = Outside("secret.txt");
        Report("tags/index.html", "<p>report</p>");
        Link("tags/relative.txt", Path.Combine("..", "..", "outside", "secret.txt"));
        Link("tags/absolute.txt", secret);
        Link("linked", Path.GetDirectoryName(secret)!);
        Link("tags/inside.html", "index.html");
        await using var server = await workspace.Serve();

        async Task<(HttpStatusCode, string)> Get(string path)
        {
            using var response = await server.Client.GetAsync(path);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        var real = await Get("/reports/tags/index.html");
        var relative = await Get("/reports/tags/relative.txt");
        var absolute = await Get("/reports/tags/absolute.txt");
        var throughDir = await Get("/reports/linked/secret.txt");
        var inside = await Get("/reports/tags/inside.html");

        Assert.Equal((HttpStatusCode.OK, "<p>report</p>"), real);
        Assert.Equal(HttpStatusCode.NotFound, relative.Item1);
        Assert.Equal(HttpStatusCode.NotFound, absolute.Item1);
        Assert.Equal(HttpStatusCode.NotFound, throughDir.Item1);
        Assert.DoesNotContain(Secret, relative.Item2 + absolute.Item2 + throughDir.Item2);
        // Links are not followed at all, even to a file inside: the folder's own writers never make one.
        Assert.Equal(HttpStatusCode.NotFound, inside.Item1);
    }

    [Fact]
    public async Task Experiment_ReportListing_LeavesLinksOut()
    {
        var secret = Outside("figure.svg");
        Report("tags/summary.json", "{}");
        Report("tags/figures/real.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        Link("tags/figures/leak.svg", secret);
        Link("tags/results.csv", secret);
        Link("tags/tables/leak.md", secret);
        await using var server = await workspace.Serve();

        var detail = JsonNode.Parse(await server.Client.GetStringAsync("/api/experiments/tags"))!;
        var names = detail["report"]!.AsArray().Select(f => (string)f!["name"]!).ToList();

        Assert.Contains("summary.json", names);
        Assert.Contains("figures/real.svg", names);
        Assert.DoesNotContain("figures/leak.svg", names);
        Assert.DoesNotContain("results.csv", names);
        Assert.DoesNotContain("tables/leak.md", names);
    }
}
