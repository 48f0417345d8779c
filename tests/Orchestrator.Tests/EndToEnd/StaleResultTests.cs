using Ablations.Core.Store;

namespace Ablations.Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 8, a changed spec or program under the same experiment name: the second run computes what changed and reports
/// exactly what a clean workspace reports for the new spec, never the old results. Through the real CLI with real
/// external programs (bash), Hangfire on SQLite and the SQLite store.
/// </summary>
[Collection("processes")]
public sealed class StaleResultTests
{
    /// <summary>train.sh sources lib/score.sh for its score; both count as code (the program, and command_options.code).</summary>
    private const string Trainer = """
        #!/usr/bin/env bash
        a=0
        for arg in "$@"; do case $arg in --a=*) a=${arg#--a=};; esac; done
        source lib/score.sh
        echo "{\"name\":\"loss\",\"step\":1,\"value\":0.5}" >> "$ABLATIONS_METRICS_FILE"
        echo "{\"name\":\"score\",\"value\":$(score "$a")}"
        """;

    /// <summary>The first score: 10·a plus the SCALE variable of the environment.</summary>
    private const string Formula = "$1*10+ENVIRON[\\\"SCALE\\\"]";

    private static IReadOnlyList<string> RunOk(TempDir dir, string spec, params string[] args)
    {
        var run = Ablate.Run(dir.Path, ["run", spec, .. args]);
        Assert.True(run.ExitCode == 0, run.All);
        return ReportedResults.Of(dir.Path, "stale");
    }

    private static string Score(string formula) => $"score() {{ awk \"BEGIN{{print {formula}}}\"; }}\n";

    private static string Spec(string env = "SCALE: '1'", string profiles = "") => $$"""
        name: stale
        program: train.sh
        metric: {name: score, goal: maximize}
        seeds: [1, 2]
        parameters:
          a: {values: [1, 2]}
        command: [bash, "${program}", "${args}"]
        command_options:
          env: {{{env}}}
          code: [lib/*.sh]
        {{profiles}}
        """;

    private static TempDir Project(string trainer, string score, string spec)
    {
        var dir = new TempDir();
        dir.Write("train.sh", trainer);
        Directory.CreateDirectory(Path.Combine(dir.Path, "lib"));
        dir.Write("lib/score.sh", score);
        dir.Write("stale.yaml", spec);
        return dir;
    }

    private static IReadOnlyList<string> CleanRun(string trainer, string score, string spec)
    {
        using var clean = Project(trainer, score, spec);
        return RunOk(clean, Path.Combine(clean.Path, "stale.yaml"));
    }

    [Fact]
    public void EditedProgramThenEditedCodeFile_EachRerunComputesTheChangeAndReportsTheCleanNumbers()
    {
        using var dir = Project(Trainer, Score(Formula), Spec());
        var spec = Path.Combine(dir.Path, "stale.yaml");
        var first = RunOk(dir, spec);

        var editedTrainer = Trainer.Replace("\"step\":1", "\"step\":2", StringComparison.Ordinal).Replace("$(score \"$a\")", "$(score \"$((a + 1))\")", StringComparison.Ordinal);
        dir.Write("train.sh", editedTrainer);
        var plan = Ablate.Run(dir.Path, "plan", spec);
        Assert.Contains("code: program changed", plan.Stdout);
        var second = Ablate.Run(dir.Path, "run", spec);
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Contains("revision 2 (new: 0 run(s) added, 4 changed, 0 unchanged, 0 left the grid): 4 runs (4 new), 4 unique stages (4 new, 0 already done)", second.Stdout);
        var afterProgram = ReportedResults.Of(dir.Path, "stale");
        Assert.NotEqual(first, afterProgram);
        Assert.Equal(CleanRun(editedTrainer, Score(Formula), Spec()), afterProgram);

        dir.Write("lib/score.sh", Score("$1*100"));
        Assert.Contains("code: lib/score.sh changed", Ablate.Run(dir.Path, "plan", spec).Stdout);
        var third = Ablate.Run(dir.Path, "run", spec);
        Assert.True(third.ExitCode == 0, third.All);
        Assert.Contains("4 runs (4 new)", third.Stdout);
        Assert.Equal(CleanRun(editedTrainer, Score("$1*100"), Spec()), ReportedResults.Of(dir.Path, "stale"));

        dir.Write("stale.yaml", Spec().Replace("code: [lib/*.sh]", "code: [lib/*.sh, src/**/*.py]", StringComparison.Ordinal));
        var missing = Ablate.Run(dir.Path, "run", spec);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains($"{spec}:10:20: command_options.code: 'src/**/*.py' matches no file", missing.Stderr);
    }

    [Fact]
    public void ChangedEnvironment_RecomputesAndEveryRevisionStaysReadable()
    {
        using var dir = Project(Trainer, Score(Formula), Spec());
        var spec = Path.Combine(dir.Path, "stale.yaml");
        var first = RunOk(dir, spec);

        dir.Write("stale.yaml", Spec(env: "SCALE: '5'"));
        Assert.Contains("config: env.SCALE \"1\" → \"5\"", Ablate.Run(dir.Path, "plan", spec).Stdout);
        var second = Ablate.Run(dir.Path, "run", spec);
        Assert.True(second.ExitCode == 0, second.All);
        Assert.Contains("4 runs (4 new)", second.Stdout);
        var now = ReportedResults.Of(dir.Path, "stale");
        Assert.Equal(CleanRun(Trainer, Score(Formula), Spec(env: "SCALE: '5'")), now);
        Assert.Contains(now, line => line.EndsWith(",15", StringComparison.Ordinal)); // a=1: 1*10 + 5

        var status = Ablate.Run(dir.Path, "status", "stale", "--revision", "1");
        Assert.True(status.ExitCode == 0, status.All);
        Assert.Contains("revision 1 of 2 (not the current one)", status.Stdout);
        var report = Ablate.Run(dir.Path, "report", "stale", "--revision", "1");
        Assert.True(report.ExitCode == 0, report.All);
        Assert.Equal(first, ReportedResults.Of(dir.Path, "stale", "stale.revision-1"));
        Assert.Contains("revision 1 of 2 (not the current one)", File.ReadAllText(Path.Combine(dir.Path, "reports", "stale.revision-1", "index.html")));
        Assert.Contains("\"number\": 1,", File.ReadAllText(Path.Combine(dir.Path, "reports", "stale.revision-1", "summary.json")));
        Assert.Contains("revision 2 of 2 (current)", File.ReadAllText(Path.Combine(dir.Path, "reports", "stale", "index.html")));
        Assert.Equal(now, ReportedResults.Of(dir.Path, "stale")); // the current report is left alone
        Assert.Equal(0, Ablate.Run(dir.Path, "export", "stale", "--revision", "1", "--format", "csv").ExitCode);
        Assert.Equal(5, File.ReadAllLines(Path.Combine(dir.Path, "exports", "stale.revision-1", "runs.csv")).Length);
        var unknown = Ablate.Run(dir.Path, "report", "stale", "--revision", "7");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("experiment 'stale' has revisions 1 to 2; revision 7 is not one of them", unknown.Stderr);
    }

    [Fact]
    public void FullSpecAfterItsSmokeProfile_ReportsTheFullGridNotTheSmokeNumbers()
    {
        var spec = Spec(profiles: "profiles:\n  smoke: {seeds: [1], command_options: {env: {SCALE: '0'}}}");
        using var dir = Project(Trainer, Score(Formula), spec);
        var file = Path.Combine(dir.Path, "stale.yaml");
        var smoke = Ablate.Run(dir.Path, "run", file, "--profile", "smoke");
        Assert.True(smoke.ExitCode == 0, smoke.All);
        Assert.Equal(3, ReportedResults.Of(dir.Path, "stale").Count); // header + 2 cells × 1 seed

        var full = Ablate.Run(dir.Path, "run", file);
        Assert.True(full.ExitCode == 0, full.All);
        Assert.Contains("revision 2 (new: 2 run(s) added, 2 changed, 0 unchanged, 0 left the grid)", full.Stdout);
        Assert.Equal(CleanRun(Trainer, Score(Formula), spec), ReportedResults.Of(dir.Path, "stale"));
    }
}
