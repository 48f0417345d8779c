using Ablations.Core.Planning;
using Ablations.Core.Spec;

namespace Ablations.Core.Tests.Spec;

/// <summary>The shipped examples in experiments/examples load, and expand to the counts their comments promise.</summary>
public class ExampleSpecsTests
{
    private static string Experiments()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ablations.sln")))
        {
            dir = dir.Parent;
        }
        Assert.NotNull(dir);
        return Path.Combine(dir.FullName, "experiments");
    }

    private static string Example(string file) => Path.Combine(Experiments(), "examples", file);

    /// <summary>Every shipped spec plans as `ablate validate` plans it (every profile too), so none ships broken again.</summary>
    [Fact]
    public void PlanLoad_EverySpecUnderExperiments_HasNoProblems()
    {
        var files = Directory.GetFiles(Experiments(), "*.yaml", SearchOption.AllDirectories);
        Assert.True(files.Length >= 6, $"found only {files.Length} specs under experiments/");
        foreach (var file in files)
        {
            var result = PlanLoader.Load(file);
            Assert.True(result.Ok, $"{file}:\n{string.Join("\n", result.Problems)}");
            foreach (var profile in result.Plan!.Spec.ProfileNames)
            {
                var withProfile = PlanLoader.Load(file, profile);
                Assert.True(withProfile.Ok, $"{file} --profile {profile}:\n{string.Join("\n", withProfile.Problems)}");
            }
        }
    }

    /// <summary>
    /// The MobileCLIP2 cluster spec cannot run here, but its plan must show the reuse that makes it affordable: the
    /// captions once, one reinforced dataset per teacher ensemble (each shared by 18 trainings: 3 KD scales × 2 caption
    /// mixes × 3 seeds), and a student and an evaluation per run, all on the gpu queue.
    /// </summary>
    [Fact]
    public void PlanLoad_MobileClip2ClusterSpec_GeneratesEachDatasetOnceForAllTheTrainingsOnIt()
    {
        var result = PlanLoader.Load(Path.Combine(Experiments(), "pipelines", "mobileclip2.yaml"));
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var plan = result.Plan!;

        Assert.Equal(36, plan.Runs.Count);
        var unique = plan.Stages.GroupBy(s => s.Kind).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new Dictionary<string, int> { ["captions"] = 1, ["captions_ft"] = 1, ["datagen"] = 2, ["train"] = 36, ["eval"] = 36 }, unique);
        var datasets = plan.Runs.GroupBy(r => r.StageHashesByKey["datagen"]).ToList();
        Assert.All(datasets, d => Assert.Equal(18, d.Count()));
        Assert.All(datasets, d => Assert.Single(d.Select(r => r.Params["teachers"]!.ToJsonString()).Distinct()));
        Assert.All(plan.Stages, s => Assert.Equal("gpu", s.Queue));
        var train = plan.Stages.First(s => s.Kind == "train");
        Assert.Contains("--distill-logit-scale", train.Config["command"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    /// <summary>
    /// The cluster spec's eval stage runs DataComp's evaluate.py through a wrapper that prints its results as metric
    /// lines. Here a stand-in evaluate.py writes a results file the way DataComp's does (one task per line, a task with
    /// a non-numeric value and a blank line among them); the wrapper passes the arguments through, runs it in the
    /// DataComp folder, keeps its output off stdout, and prints one line per number and the mean of the main metrics.
    /// </summary>
    [Fact]
    public void MobileClip2EvalWrapper_TurnsDataCompResultsIntoMetricLines()
    {
        var root = Directory.CreateTempSubdirectory("datacomp-").FullName;
        try
        {
            var datacomp = Directory.CreateDirectory(Path.Combine(root, "datacomp")).FullName;
            var output = Directory.CreateDirectory(Path.Combine(root, "out")).FullName;
            File.WriteAllText(Path.Combine(datacomp, "evaluate.py"), """
                import json, os, sys
                out = sys.argv[sys.argv.index("--output_dir") + 1]
                print("evaluating", " ".join(sys.argv[1:]), "in", os.getcwd())
                with open(os.path.join(out, "eval_results.jsonl"), "w") as f:
                    f.write(json.dumps({"key": "imagenet1k", "dataset": "ImageNet 1k", "metrics": {"acc1": 0.7, "acc5": 0.9, "note": "x"}, "main_metric": 0.7}) + "\n\n")
                    f.write(json.dumps({"key": "cars", "dataset": "Cars", "metrics": {"acc1": 0.5}, "main_metric": 0.5}) + "\n")
                """);
            var psi = new System.Diagnostics.ProcessStartInfo("python3")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var a in new[] { Path.Combine(Experiments(), "pipelines", "mobileclip2", "datacomp_eval.py"), "--datacomp", datacomp,
                         "--out", output, "--", "--train_output_dir", "/ckpt/run", "--output_dir", output })
                psi.ArgumentList.Add(a);
            using var p = System.Diagnostics.Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();

            Assert.True(p.ExitCode == 0, stdout + stderr.Result);
            Assert.Equal(
                ["""{"name": "imagenet1k_acc1", "value": 0.7}""", """{"name": "imagenet1k_acc5", "value": 0.9}""",
                 """{"name": "cars_acc1", "value": 0.5}""", """{"name": "datacomp_avg", "value": 0.6}""", """{"name": "datacomp_tasks", "value": 2}"""],
                stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"--train_output_dir /ckpt/run --output_dir {output} in {datacomp}", stderr.Result);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static ExperimentSpec Load(string file, string? profile = null)
    {
        var result = SpecLoader.Load(Example(file), profile);
        Assert.True(result.Ok, string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    [Fact]
    public void Load_KdTeachers_ExpandsGridWithExcludeAndInclude()
    {
        var spec = Load("kd-teachers.yaml");
        var e = GridExpander.Expand(spec);
        Assert.Equal(4 * 3 - 2 + 1, e.Cells.Count);
        Assert.Equal(3, spec.Seeds.Count);
        var baseline = Assert.Single(e.Cells, c => c.IsBaseline);
        Assert.Equal(0.0, baseline.Params["student.lambda"]!.GetValue<double>());
    }

    [Fact]
    public void Load_KdTeachersSmoke_ShrinksWorldAndEpochs()
    {
        var spec = Load("kd-teachers.yaml", "smoke");
        Assert.Equal([1L], spec.Seeds);
        Assert.Equal(256L, spec.Stages["world"]!["web_pool"]!.GetValue<long>());
        Assert.Equal(1L, spec.Stages["student"]!["epochs"]!.GetValue<long>());
        Assert.Equal("cnn-tiny", spec.Stages["student"]!["arch"]!.GetValue<string>());
        Assert.Equal(1L, spec.Fixed["student.epochs"]!.GetValue<long>());
    }

    [Fact]
    public void Load_CaptionMixOat_IsBaselinePlusOneChangeAtATime()
    {
        var e = GridExpander.Expand(Load("caption-mix-oat.yaml"));
        Assert.Equal(6, e.Cells.Count);
        Assert.True(e.Cells[0].IsBaseline);
    }

    [Fact]
    public void Load_WandbSweep_IsCommandPipelineNamedAfterFile()
    {
        var spec = Load("wandb-sweep.yaml");
        Assert.Equal("wandb-sweep", spec.Name);
        Assert.Equal("command", spec.Pipeline);
        Assert.Equal("train.py", spec.Command!.Program);
        Assert.Equal(6, GridExpander.Expand(spec).Cells.Count);
    }

    [Fact]
    public void Load_RandomLr_SamplesRunCapCells()
    {
        var spec = Load("random-lr.yaml");
        Assert.Equal(SweepMethod.Random, spec.Method);
        Assert.Equal(12, GridExpander.Expand(spec).Cells.Count);
    }
}
