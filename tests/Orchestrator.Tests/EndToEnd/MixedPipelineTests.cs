namespace Ablations.Orchestrator.Tests.EndToEnd;

/// <summary>
/// Built-in stage types and the user's own program in one pipeline, through the real CLI: our world and teacher, then
/// the user's program that takes the teacher's checkpoint and hands it on, then our zero-shot eval of what the program
/// wrote. Each stage is shared across what it does not read, and an added value of the program's parameter runs only
/// the program and the eval again.
/// </summary>
[Collection("processes")]
public sealed class MixedPipelineTests
{
    // The user's program between two built-in stages: copies the checkpoint it is given into its output (a real
    // pipeline would prune or fine-tune it here) and reports a metric of its own.
    private const string Export = """
        #!/usr/bin/env bash
        set -e
        echo "export $3" >> calls.txt
        cp -r "$1"/. "$2"/
        echo "{\"name\": \"files\", \"value\": $(ls "$2" | wc -l)}"
        """;

    private static string Spec(string tags) => $$"""
        name: mixed
        metric: {name: zeroshot_avg, goal: maximize}
        seeds: [1]
        parameters:
          pool: {values: [web, filtered]}
          tag: {values: {{tags}}}
        pipeline:
          data:
            type: world
            options: {image_size: 16, web_pool: 128, filtered_pool: 96, hq_pool: 32, eval_per_task: 24, retrieval: 24}
          teacher:
            type: teacher
            inputs: {world: data}
            options:
              arch: cnn-tiny
              pool: ${param.pool}
              seed: ${seed}
              epochs: 1
              batch_size: 32
          export:
            command: [bash, export.sh, "${in.teacher}", "${out}", "${param.tag}"]
            inputs: [teacher]
            params: [tag]
            code: [export.sh]
          eval:
            type: eval
            inputs: {world: data, model: export}
        """;

    [Fact]
    public void BuiltInStagesAroundTheUsersProgram_RunEndToEnd_AndAnAddedValueRunsOnlyWhatReadsIt()
    {
        using var dir = new TempDir();
        dir.Write("export.sh", Export);
        var spec = dir.Write("m.yaml", Spec("[x, y]"));

        var first = Ablate.Run(dir.Path, "run", spec);

        Assert.True(first.ExitCode == 0, first.All);
        // 1 world + a teacher per pool (shared by both tags) + an export and an eval per run
        Assert.Contains("4 runs (4 new), 11 unique stages (11 new", first.Stdout);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(dir.Path, "calls.txt")).Length);
        var results = ReportedResults.Of(dir.Path, "mixed");
        Assert.Equal(5, results.Count);
        Assert.Contains("metric.zeroshot_avg", results[0]); // our eval is the terminal stage
        Assert.Contains("metric.export.files", results[0]); // the program's own metric, under its name
        Assert.All(results.Skip(1), r => Assert.Contains(",succeeded,", r));
        var status = Ablate.Run(dir.Path, "status", "mixed");
        Assert.Matches(@"│ teacher\s+│ teacher\s+│", status.Stdout);
        Assert.Matches(@"│ export\s+│ command\s+│", status.Stdout);
        Assert.Matches(@"│ eval\s+│ eval\s+│", status.Stdout);

        File.WriteAllText(Path.Combine(dir.Path, "calls.txt"), "");
        dir.Write("m.yaml", Spec("[x, y, z]"));
        var added = Ablate.Run(dir.Path, "run", spec);

        Assert.True(added.ExitCode == 0, added.All);
        Assert.Contains("15 unique stages (4 new, 11 already done)", added.Stdout);
        Assert.Equal(["export z", "export z"], File.ReadAllLines(Path.Combine(dir.Path, "calls.txt")));
        Assert.Equal(7, ReportedResults.Of(dir.Path, "mixed").Count);
    }
}
