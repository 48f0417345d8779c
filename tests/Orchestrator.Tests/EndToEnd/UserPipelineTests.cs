namespace Ablations.Orchestrator.Tests.EndToEnd;

/// <summary>
/// A three-stage pipeline of the user's own programs, through the real CLI: a data stage keyed only by the teachers is
/// computed once for every KD scale and seed (and reused by another experiment), an added axis value runs only its own
/// stages, an edited program reruns what it feeds, and a stage that fails fails only the runs that need it.
/// </summary>
[Collection("processes")]
public sealed class UserPipelineTests
{
    // Each program notes its call in calls.txt (in the spec's folder, the working directory), so the test counts runs.
    private const string Gen = """
        #!/usr/bin/env bash
        set -e
        echo "gen $1" >> calls.txt
        echo "teachers=$1" > "$2/data.txt"
        echo "{\"name\": \"rows\", \"value\": ${#1}}"
        """;

    private const string Train = """
        #!/usr/bin/env bash
        set -e
        echo "train $2 $3" >> calls.txt
        [ "$2" != 99 ] || [ ! -e fail-99 ] || { echo "kd 99 diverged" >&2; exit 4; }
        n=$(wc -c < "$1/data.txt")
        echo $(( (n * 7 + $2 * 3 + $3) % 97 )) > "$4/model.txt"
        echo "{\"name\": \"loss\", \"step\": 1, \"value\": 2.5}"
        """;

    private const string Eval = """
        #!/usr/bin/env bash
        set -e
        echo "eval" >> calls.txt
        echo "{\"name\": \"acc\", \"value\": $(cat "$1/model.txt")}"
        """;

    private static string Spec(string kd) => $$"""
        name: own-pipeline
        metric: {name: acc, goal: maximize}
        seeds: [1, 2]
        parameters:
          teachers: {values: [a, ab]}
          kd: {values: {{kd}}}
        pipeline:
          gen:
            command: [bash, gen.sh, "${param.teachers}", "${out}"]
            params: [teachers]
            per_seed: false
            code: [gen.sh]
          train:
            command: [bash, train.sh, "${in.gen}", "${param.kd}", "${seed}", "${out}"]
            inputs: [gen]
            params: [kd]
            code: [train.sh]
          eval:
            command: [bash, eval.sh, "${in.train}"]
            inputs: [train]
            params: []
            code: [eval.sh]
        """;

    [Fact]
    public void OwnPipeline_SharedStagesRunOnce_AnAddedValueRunsOnlyItsStages_AnEditedProgramRerunsWhatItFeeds()
    {
        using var dir = new TempDir();
        var spec = Project(dir, "[5, 20]");

        var first = Ablate.Run(dir.Path, "run", spec);

        Assert.True(first.ExitCode == 0, first.All);
        Assert.Contains("8 runs (8 new), 18 unique stages (18 new", first.Stdout);
        var calls = Calls(dir);
        Assert.Equal(2, calls.Count(c => c.StartsWith("gen ", StringComparison.Ordinal))); // once per teacher list, for 4 runs each
        Assert.Equal(8, calls.Count(c => c.StartsWith("train ", StringComparison.Ordinal)));
        Assert.Equal(8, calls.Count(c => c == "eval"));
        var results = ReportedResults.Of(dir.Path, "own-pipeline");
        Assert.Equal(9, results.Count);
        Assert.Contains("metric.acc", results[0]);
        Assert.Contains("metric.gen.rows", results[0]); // an upstream stage's metrics, under its name
        // teachers a, kd 5, seed 1: data.txt is "teachers=a\n" (11 bytes): (77 + 15 + 1) % 97 = 93, read by eval through ${in.train}
        Assert.Contains(results, r => r.Contains(",1,succeeded,", StringComparison.Ordinal) && r.Contains(",a,5,93,", StringComparison.Ordinal));

        File.WriteAllText(Path.Combine(dir.Path, "calls.txt"), "");
        dir.Write("p.yaml", Spec("[5, 20, 50]"));
        var plan = Ablate.Run(dir.Path, "plan", spec, "--json");
        var added = Ablate.Run(dir.Path, "run", spec);

        Assert.True(added.ExitCode == 0, added.All);
        Assert.Contains("26 unique stages (8 new, 18 already done)", added.Stdout);
        Assert.Contains("\"reused\": 18", plan.Stdout);
        calls = Calls(dir);
        Assert.DoesNotContain(calls, c => c.StartsWith("gen ", StringComparison.Ordinal));
        Assert.Equal(["train 50 1", "train 50 1", "train 50 2", "train 50 2"], calls.Where(c => c.StartsWith("train ", StringComparison.Ordinal)).Order());
        Assert.Equal(13, ReportedResults.Of(dir.Path, "own-pipeline").Count);

        File.WriteAllText(Path.Combine(dir.Path, "calls.txt"), "");
        dir.Write("eval.sh", Eval + "\n# reads the model the same way, edited all the same\n");
        var edited = Ablate.Run(dir.Path, "run", spec);

        Assert.True(edited.ExitCode == 0, edited.All);
        calls = Calls(dir);
        Assert.Equal(12, calls.Count(c => c == "eval"));
        Assert.DoesNotContain(calls, c => !c.Equals("eval", StringComparison.Ordinal));
        var status = Ablate.Run(dir.Path, "status", "own-pipeline");
        Assert.Matches(@"│ gen\s+│ command\s+│ [0-9a-f]{12} │ succeeded", status.Stdout); // listed by the names the spec gave its stages

        // Another experiment over the same data stage (one teacher list, other KD scales) computes no dataset again.
        File.WriteAllText(Path.Combine(dir.Path, "calls.txt"), "");
        var other = dir.Write("other.yaml", Spec("[7]").Replace("name: own-pipeline", "name: other-study", StringComparison.Ordinal)
            .Replace("teachers: {values: [a, ab]}", "teachers: {values: [ab]}", StringComparison.Ordinal));
        var second = Ablate.Run(dir.Path, "run", other);

        Assert.True(second.ExitCode == 0, second.All);
        Assert.Contains("5 unique stages (4 new, 1 already done)", second.Stdout);
        Assert.DoesNotContain(Calls(dir), c => c.StartsWith("gen ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OwnPipeline_AStageFails_OnlyTheRunsThatNeedItFail_AndRetryRunsJustThoseOnceTheCauseIsGone()
    {
        using var dir = new TempDir();
        var spec = Project(dir, "[5, 99]");
        dir.Write("fail-99", "");

        var run = Ablate.Run(dir.Path, "run", spec);

        Assert.NotEqual(0, run.ExitCode);
        var results = ReportedResults.Of(dir.Path, "own-pipeline").Skip(1).ToList();
        Assert.Equal(8, results.Count);
        Assert.All(results.Where(r => r.Contains(",5,", StringComparison.Ordinal)), r => Assert.Contains(",succeeded,", r));
        Assert.All(results.Where(r => r.Contains(",99,", StringComparison.Ordinal)), r => Assert.Contains(",failed,", r));
        var status = Ablate.Run(dir.Path, "status", "own-pipeline");
        Assert.Contains("command exited with code 4", status.Stdout);
        // The web UI names the failed stages as the spec does, with their type beside.
        await using var serve = await Web.ServeProcess.Start(dir.Path, "--urls", "http://127.0.0.1:0");
        using var client = serve.Client();
        var detail = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/api/experiments/own-pipeline"))!;
        var failed = detail["active"]!.AsArray().Where(a => (string?)a!["status"] == "failed").ToList();
        // kd 99 × 2 teacher lists × 2 seeds: the trainings failed, and the evals of them with them
        Assert.Equal(4, failed.Count(a => ((string?)a!["name"], (string?)a["type"], (string?)a["failureKind"]) == ("train", "command", "ExternalFailure")));
        Assert.Equal(4, failed.Count(a => ((string?)a!["name"], (string?)a["type"], (string?)a["failureKind"]) == ("eval", "command", "UpstreamFailed")));

        // The cause is outside the stage's hash (the programs did not change): retry resets what failed, and the next
        // run executes only those stages.
        File.Delete(Path.Combine(dir.Path, "fail-99"));
        File.WriteAllText(Path.Combine(dir.Path, "calls.txt"), "");
        var retry = Ablate.Run(dir.Path, "retry", "own-pipeline");
        var again = Ablate.Run(dir.Path, "run", spec);

        Assert.True(retry.ExitCode == 0, retry.All);
        Assert.Contains("8 stage(s) reset, 4 enqueued now", retry.Stdout); // the trainings now, their evals once they succeed
        Assert.True(again.ExitCode == 0, again.All);
        Assert.Equal(["eval", "eval", "eval", "eval", "train 99 1", "train 99 1", "train 99 2", "train 99 2"], Calls(dir).Order());
        Assert.All(ReportedResults.Of(dir.Path, "own-pipeline").Skip(1), r => Assert.Contains(",succeeded,", r));
    }

    [Fact]
    public void ShippedPythonExample_RunsEndToEnd_TeacherTargetsComputedOncePerEnsemble()
    {
        using var dir = new TempDir();
        var spec = Repo.File("experiments/pipelines/kd-toy.yaml");

        var plan = Ablate.Run(dir.Path, "plan", spec);
        var run = Ablate.Run(dir.Path, "run", spec);

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Matches(@"│ teachers\s+│ 3\s+│ 18\s+│", plan.Stdout); // 3 ensembles, each shared by 2 KD scales × 3 seeds
        Assert.Contains("18 runs (18 new), 39 unique stages", run.Stdout);
        var results = ReportedResults.Of(dir.Path, "kd-toy");
        Assert.Equal(19, results.Count);
        Assert.All(results.Skip(1), r => Assert.Contains(",succeeded,", r));
        Assert.Contains("metric.teachers.top1_agreement", results[0]);
    }

    /// <summary>The three programs and the spec (p.yaml) with these KD scales; returns the spec's path.</summary>
    private static string Project(TempDir dir, string kd)
    {
        dir.Write("gen.sh", Gen);
        dir.Write("train.sh", Train);
        dir.Write("eval.sh", Eval);
        return dir.Write("p.yaml", Spec(kd));
    }

    private static List<string> Calls(TempDir dir) => File.ReadAllLines(Path.Combine(dir.Path, "calls.txt")).Where(l => l.Length > 0).ToList();
}
