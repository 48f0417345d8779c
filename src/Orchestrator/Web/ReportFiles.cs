using Ablations.Orchestrator.Web.Api;
using Microsoft.AspNetCore.StaticFiles;

namespace Ablations.Orchestrator.Web;

/// <summary>
/// The reports folder (reports/&lt;experiment&gt;/…), listed and served read-only. It may appear after the server
/// started (a run writes its report at the end), so paths are resolved per request, never outside the folder.
/// </summary>
internal sealed class ReportFiles(string root)
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = CreateContentTypes();

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>The report's files worth linking, index.html first; figures prefer SVG over a PNG of the same name.</summary>
    public IReadOnlyList<ReportFile> List(string experiment)
    {
        var dir = Resolve(experiment);
        if (dir is null || !Directory.Exists(dir)) return [];
        var files = new List<ReportFile>();
        foreach (var name in new[] { "index.html", "results.md", "results.csv", "results.parquet", "summary.json" })
            if (File.Exists(Path.Combine(dir, name))) files.Add(new ReportFile(name, Url(experiment, name), "report"));
        // Listed only what Find would serve: links (and files through them) are left out.
        bool Servable(string relative) => Resolve($"{experiment}/{relative}") is { } f && File.Exists(f);
        files.RemoveAll(f => !Servable(f.Name));
        var figures = Path.Combine(dir, "figures");
        if (Directory.Exists(figures))
        {
            var all = Directory.GetFiles(figures).Select(Path.GetFileName).OfType<string>().Where(f => Servable($"figures/{f}")).Order(StringComparer.Ordinal).ToList();
            var svgStems = all.Where(f => f.EndsWith(".svg", StringComparison.OrdinalIgnoreCase)).Select(Path.GetFileNameWithoutExtension).ToHashSet();
            foreach (var f in all.Where(f => f.EndsWith(".svg", StringComparison.OrdinalIgnoreCase)
                || (f.EndsWith(".png", StringComparison.OrdinalIgnoreCase) && !svgStems.Contains(Path.GetFileNameWithoutExtension(f)))))
                files.Add(new ReportFile($"figures/{f}", Url(experiment, "figures", f), "figure"));
        }
        var tables = Path.Combine(dir, "tables");
        if (Directory.Exists(tables))
            foreach (var f in Directory.GetFiles(tables).Select(Path.GetFileName).OfType<string>().Where(f => Servable($"tables/{f}")).Order(StringComparer.Ordinal))
                files.Add(new ReportFile($"tables/{f}", Url(experiment, "tables", f), "table"));
        return files;
    }

    /// <summary>The file under the reports folder for a request path, or null when it is missing or outside the folder.</summary>
    public (string Path, string ContentType)? Find(string relative)
    {
        var full = Resolve(relative);
        if (full is null || !File.Exists(full)) return null;
        return (full, ContentTypes.TryGetContentType(full, out var type) ? type : "application/octet-stream");
    }

    /// <summary>
    /// The path inside the reports folder, or null when it leaves it: by '..', or through a symbolic link anywhere on
    /// the way (a link in reports/ may point at ~/.ssh; links are refused, not followed, since the reports we write
    /// contain none).
    /// </summary>
    private string? Resolve(string relative)
    {
        if (relative.Length == 0 || relative.Contains('\0')) return null;
        var full = Path.GetFullPath(Path.Combine(Root, relative));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return null;
        for (var at = full; at.Length > Root.Length; at = Path.GetDirectoryName(at)!)
        {
            FileSystemInfo info = Directory.Exists(at) ? new DirectoryInfo(at) : new FileInfo(at);
            if (info.Exists && info.LinkTarget is not null) return null;
        }
        return full;
    }

    private static string Url(params string[] segments) => "/reports/" + string.Join('/', segments.Select(Uri.EscapeDataString));

    private static FileExtensionContentTypeProvider CreateContentTypes()
    {
        var provider = new FileExtensionContentTypeProvider();
        provider.Mappings[".md"] = "text/plain; charset=utf-8";
        provider.Mappings[".csv"] = "text/plain; charset=utf-8";
        provider.Mappings[".tex"] = "text/plain; charset=utf-8";
        provider.Mappings[".parquet"] = "application/vnd.apache.parquet";
        return provider;
    }
}
