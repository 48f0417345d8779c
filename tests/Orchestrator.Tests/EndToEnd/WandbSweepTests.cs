using System.Text.Json.Nodes;

namespace Ablations.Orchestrator.Tests.EndToEnd;

/// <summary>
/// Issue 9, foreign input: W&amp;B sweep files as W&amp;B accepts them, through the real CLI and a real bash program —
/// free-text names, W&amp;B's argument formats, a seed parameter, random sweeps without run_cap, every distribution;
/// what cannot be supported (bayes, early_terminate) is one problem line that says what to use instead.
/// </summary>
[Collection("processes")]
public sealed class WandbSweepTests
{
    /// <summary>Prints its argv (one per line) to a file named by its seed, then a score.</summary>
    private const string Echo = """
        #!/usr/bin/env bash
        printf '%s\n' "$@" > "argv-$ABLATIONS_SEED-$RANDOM$RANDOM.txt"
        echo '{"name":"score","value":1}'
        """;

    [Fact]
    public void GridSweep_RunsUnchanged_NameSlugArgumentsAsWandbPassesThemSeedAsReplicates()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Echo);
        var spec = dir.Write("sweep.yaml", """
            name: My sweep/v2
            program: train.sh
            method: grid
            metric: {name: score, goal: maximize}
            parameters:
              lr: {values: [1.0]}
              model:
                distribution: constant
                value: {depth: 3, width: 64}
              optimizer:
                parameters:
                  momentum: {value: 0.9}
              seed: {values: [1, 2]}
            command: [bash, "${program}", "${args}", "${args_json}"]
            """);

        var run = Ablate.Run(dir.Path, "run", spec);

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("sweep.yaml:1:7: note: name 'My sweep/v2' is stored and reported as 'my-sweep-v2'", run.Stderr);
        Assert.Contains("sweep.yaml:13:3: note: parameter 'seed' is read as the replicate seeds [1, 2]", run.Stderr);
        Assert.Contains("2 runs (2 new)", run.Stdout); // 1 cell × 2 seeds
        var results = ReportedResults.Of(dir.Path, "my-sweep-v2");
        Assert.Equal(3, results.Count); // header + 2 replicates of one cell, no seed axis
        Assert.DoesNotContain("param.seed", results[0]);
        var argv = File.ReadAllLines(Directory.GetFiles(dir.Path, "argv-1-*.txt").Single());
        Assert.Equal("--lr=1.0", argv[0]); // W&B passes a float as Python prints it
        Assert.Equal("--model={'depth': 3, 'width': 64}", argv[1]); // a fixed parent with children, as W&B passes a dict
        Assert.Equal("--optimizer={'momentum': 0.9}", argv[2]); // a nested parameter as one dict
        Assert.Equal("--seed=1", argv[3]); // the program still gets its seed
        Assert.Equal(1.0, JsonNode.Parse(argv[4])!["lr"]!.GetValue<double>()); // ${args_json}: one JSON argument
        Assert.Equal(0.9, JsonNode.Parse(argv[4])!["optimizer"]!["momentum"]!.GetValue<double>());
        Assert.Equal(64, JsonNode.Parse(argv[4])!["model"]!["width"]!.GetValue<int>());
    }

    private const string Random = """
        program: train.sh
        method: random
        metric: {name: score, goal: maximize}
        parameters:
          lr: {distribution: q_log_uniform_values, min: 0.001, max: 0.1, q: 0.001}
          wd: {distribution: log_uniform, min: -9.2, max: -2.3}
          drop: {distribution: q_normal, mu: 0.3, sigma: 0.1, q: 0.05}
          width: {distribution: q_uniform, min: 32, max: 256, q: 32}
          act: {distribution: categorical, values: [relu, gelu]}
          beta: {distribution: beta, a: 2, b: 5}
        command: [bash, "${program}", "${args}"]
        """;

    [Fact]
    public void RandomSweepWithoutRunCap_OneLineNamingTheFlag_WithRunCapItPlansThatManyFromEveryDistribution()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Echo);
        var spec = dir.Write("rand.yaml", Random);

        var refused = Ablate.Run(dir.Path, "plan", spec);
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal(2, refused.Stderr.Trim().Split('\n').Length); // the problem, then the count
        Assert.Contains("rand.yaml:2:9: method: random needs 'run_cap:'", refused.Stderr);
        Assert.Contains("--run-cap N", refused.Stderr);

        var plan = Ablate.Run(dir.Path, "plan", spec, "--run-cap", "25", "--json");
        Assert.True(plan.ExitCode == 0, plan.All);
        var runs = JsonNode.Parse(plan.Stdout)!["runs"]!.AsArray().Select(r => r!["params"]!).ToList();
        Assert.Equal(25, runs.Count);
        Assert.All(runs, p =>
        {
            var lr = p["lr"]!.GetValue<double>();
            Assert.InRange(lr, 0.001 - 1e-12, 0.1 + 1e-12);
            Assert.Equal(0, Math.Round(lr / 0.001) * 0.001 - lr, 9); // on the q grid
            Assert.InRange(p["wd"]!.GetValue<double>(), Math.Exp(-9.2), Math.Exp(-2.3)); // min/max are exponents
            Assert.Equal(0, p["width"]!.GetValue<double>() % 32);
            Assert.Contains(p["act"]!.GetValue<string>(), new[] { "relu", "gelu" });
            Assert.InRange(p["beta"]!.GetValue<double>(), 0, 1);
        });
        Assert.True(runs.Select(p => p["lr"]!.GetValue<double>()).Distinct().Count() > 5, "the sampler draws, not repeats");
    }

    [Theory]
    [InlineData("method: random", "method: bayes", "2:9: method: bayes is not supported", "use method: random with run_cap (or --run-cap N)")]
    [InlineData("program: train.sh", "early_terminate: {type: hyperband, min_iter: 3}\nprogram: train.sh", "1:1: early_terminate is not supported", "remove it")]
    public void UnsupportedWandbFeature_OneProblemLineThatSaysWhatToUse(string from, string to, string where, string instead)
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Echo);
        var spec = dir.Write("sweep.yaml", Random.Replace(from, to, StringComparison.Ordinal) + "\nrun_cap: 4\n");

        var result = Ablate.Run(dir.Path, "validate", spec);

        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Trim().Split('\n');
        Assert.Equal(2, lines.Length); // one problem line, then the count: not buried under follow-on errors
        Assert.Contains($"sweep.yaml:{where}", lines[0]);
        Assert.Contains(instead, lines[0]);
    }

    [Fact]
    public void ProgramTheCommandNeverRuns_NeedNotExist_ANoteSaysSo()
    {
        using var dir = new TempDir();
        dir.Write("train.sh", Echo);
        var spec = dir.Write("np.yaml", """
            name: np
            program: does_not_exist.py
            parameters:
              a: {values: [1]}
            command: [bash, train.sh, "${args}"]
            """);

        var run = Ablate.Run(dir.Path, "run", spec);

        Assert.True(run.ExitCode == 0, run.All);
        Assert.Contains("np.yaml:2:10: note: program 'does_not_exist.py' is not used", run.Stderr);
    }
}
