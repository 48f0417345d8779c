namespace Ablations.Orchestrator.Tests.Web;

/// <summary>
/// A workspace holding one experiment, "tags", stored by a real `ablate submit` and never run: its two runs are
/// pending, and their one parameter is a long string (200 a's, and 200 a's then a b) for LIKE filters. Its
/// reports folder is written by the test that needs one.
/// </summary>
public sealed class SubmittedWorkspace : IDisposable
{
    public static readonly string LongTag = new('a', 200);

    private readonly TempDir _dir = new();

    public SubmittedWorkspace()
    {
        _dir.Write("train.sh", Fixtures.Trainer);
        var spec = _dir.Write("tags.yaml", $$"""
            name: tags
            program: train.sh
            method: grid
            metric: {name: score, goal: maximize}
            seeds: [1]
            parameters:
              tag: {values: ["{{LongTag}}", "{{LongTag}}b"]}
            command: [bash, "${program}", "${args}"]
            """);
        var submitted = Ablate.Run(_dir.Path, "submit", spec);
        if (submitted.ExitCode != 0) throw new InvalidOperationException($"ablate submit failed ({submitted.ExitCode}): {submitted.All}");
    }

    public string Path => _dir.Path;
    public string Root => _dir.Root;
    public string Reports => System.IO.Path.Combine(_dir.Path, "reports");

    internal Task<WebServer> Serve(string? token = null) => WebServer.Start(Root, Reports, token);

    public void Dispose() => _dir.Dispose();
}
