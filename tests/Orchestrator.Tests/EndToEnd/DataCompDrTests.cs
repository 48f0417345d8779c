using Ablations.Core.Store;
using Ablations.Core.Store.Entities;
using Ablations.Runner.Data.DataComp;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Orchestrator.Tests.EndToEnd;

/// <summary>
/// Students trained through the real CLI on DataCompDR-format shards written by Python
/// (experiments/real/mini/make_mini_datacompdr.py, not by our writer): real JPEGs decoded, stored augmentations replayed,
/// the npz and the bf16 pth.gz variants read, the base image shards joined by uid; and what a user meets when the data
/// changes, is damaged, or is not DataCompDR at all.
/// </summary>
[Collection("processes")]
public sealed class DataCompDrTests
{
    private static readonly string Mini = Repo.File("experiments/real/mini/data");

    [Fact]
    public void Run_TheShippedMiniature_TrainsAKdAndABaselineStudent_AndReportsZeroShot()
    {
        using var dir = new TempDir();
        var result = Ablate.Run(dir.Path, "run", Repo.File("experiments/real/datacompdr-mini.yaml"), "--threads", "1");

        Assert.True(result.ExitCode == 0, result.All);
        using var db = dir.Store().NewContext();
        var stages = db.Stages.AsNoTracking().ToList();
        Assert.Equal(2, stages.Count(s => s.Type == "dr_student" && s.Status == StageStatus.Succeeded));
        var results = ResultsReader.Load(dir.Store(), "datacompdr-mini");
        Assert.Equal(2, results.Runs.Count);
        Assert.All(results.Runs, r =>
        {
            Assert.Equal(320, r.Metrics["samples_per_epoch"]);
            Assert.Equal(0, r.Metrics["skipped"]);
            Assert.InRange(r.Metrics["zeroshot_top1"], 0.0, 1.0);
            Assert.True(double.IsFinite(r.Metrics["train_loss"]));
        });
        Assert.True(File.Exists(Path.Combine(dir.Path, "reports", "datacompdr-mini", "index.html")));
    }

    private static string Spec(string shards, string images, int epochs = 1) => $$"""
        name: dr
        seeds: [1]
        metric: {name: zeroshot_top1, goal: maximize}
        pipeline:
          student:
            type: dr_student
            options:
              shards: {{shards}}
              images: {{images}}
              teachers: [{name: wide, dim: 32, scale: 20}, {name: narrow, dim: 24, scale: 20}]
              arch: cnn-tiny
              image_size: 16
              epochs: {{epochs}}
              batch_size: 32
        """;

    [Fact]
    public void Run_AfterAShardIsReplacedUnderItsName_TrainsAgainOnTheNewData_CountingItsDamagedSample()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(Path.Combine(dir.Path, "dr"));
        Directory.CreateDirectory(Path.Combine(dir.Path, "images"));
        foreach (var sub in new[] { "dr", "images" })
            File.Copy(Path.Combine(Mini, sub, "00000000.tar"), Path.Combine(dir.Path, sub, "00000000.tar"));
        var spec = dir.Write("dr.yaml", Spec("dr/00000000.tar", "images/00000000.tar"));

        var first = Ablate.Run(dir.Path, "run", spec, "--threads", "1");
        Assert.True(first.ExitCode == 0, first.All);

        // The same path, new content: one sample's embeddings cut short (as a failed copy leaves them).
        var shard = Path.Combine(dir.Path, "dr", "00000000.tar");
        List<WdsSample> samples;
        using (var s = File.OpenRead(shard))
            samples = WebDatasetTar.Read(s, shard).Select(x => x with { Parts = new Dictionary<string, byte[]>(x.Parts) }).ToList();
        var npz = samples[10].Parts["npz"];
        ((Dictionary<string, byte[]>)samples[10].Parts)["npz"] = npz[..(npz.Length / 3)];
        using (var s = File.Create(shard)) WebDatasetTar.Write(s, samples);

        var again = Ablate.Run(dir.Path, "run", spec, "--threads", "1");

        Assert.True(again.ExitCode == 0, again.All);
        using var db = dir.Store().NewContext();
        Assert.Equal(2, db.Stages.Count(s => s.Type == "dr_student" && s.Status == StageStatus.Succeeded)); // not answered from the store
        var run = Assert.Single(ResultsReader.Load(dir.Store(), "dr").Runs);
        Assert.Equal(159, run.Metrics["samples_per_epoch"]);
        Assert.Equal(1, run.Metrics["skipped_corrupt_npz"]);
    }

    [Fact]
    public void Run_OnDataThisMachineCannotSee_IsRefusedBeforeAnythingIsStored_WhilePlanStillWorks()
    {
        using var dir = new TempDir();
        var spec = dir.Write("dr.yaml", Spec("/nonexistent/dr/{00000000..00000003}.tar", "/nonexistent/img/{00000000..00000003}.tar"));

        var plan = Ablate.Run(dir.Path, "plan", spec);
        var run = Ablate.Run(dir.Path, "run", spec);

        Assert.True(plan.ExitCode == 0, plan.All);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("reads /nonexistent/dr/00000000.tar, which this machine cannot see", run.All);
        Assert.False(File.Exists(Path.Combine(dir.Path, ".ablations", "ablations.db")));
    }

    [Fact]
    public void Run_OnImageShardsGivenAsReinforcedShards_FailsNamingTheMissingPart()
    {
        using var dir = new TempDir();
        var spec = dir.Write("dr.yaml", Spec(Path.Combine(Mini, "images", "00000000.tar"), Path.Combine(Mini, "images", "00000000.tar")));

        var result = Ablate.Run(dir.Path, "run", spec, "--threads", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("none of its first 8 samples has 'paug.json'", result.All);
    }

    private const string Reinforced = """
        name: tiny-rt
        seeds: [1]
        metric: {name: zeroshot_avg, goal: maximize}
        stages:
          world: {seed: 7, image_size: 16, web_pool: 96, filtered_pool: 64, hq_pool: 16, eval_per_task: 16, retrieval: 16}
          teacher: {arch: cnn-tiny, epochs: 1, batch_size: 32}
          captioner: {arch: cnn-tiny, epochs: 1, batch_size: 32}
          captions: {per_image: 2}
          embed:
            augment: {count: 3, ops: 2, magnitude: 0.5, style: torchvision}
          student: {arch: cnn-tiny, pool: web, epochs: 1, batch_size: 32, lambda: 1.0, teachers: [t_a, t_b], caption_mix: [cap], kd: {}}
          eval: {}
        variants:
          teachers:
            t_a: {pool: filtered, seed: 11, kd_scale: 20}
            t_b: {pool: filtered, seed: 12, kd_scale: 30}
          captioners:
            cap: {finetune: false}
        """;

    private const string NumpyCheck = """
        import io, json, sys, tarfile, hashlib
        import numpy as np
        root = sys.argv[1]
        dr = tarfile.open(root + "/dr/00000000.tar")
        img = tarfile.open(root + "/images/00000000.tar")
        pngs = {m.name.split(".", 1)[0]: img.extractfile(m).read() for m in img.getmembers() if m.name.endswith(".png")}
        parts = {}
        for m in dr.getmembers():
            key, ext = m.name.split(".", 1)
            parts.setdefault(key, {})[ext] = dr.extractfile(m).read()
        for key, p in parts.items():
            meta = json.loads(p["json"])
            assert hashlib.sha256(pngs[key]).hexdigest() == meta["sha256"], key
            emb = np.load(io.BytesIO(p["npz"]))
            paug = json.loads(p["paug.json"])["param_aug"]
            syn = json.loads(p["syn.json"])
            assert emb["image_emb"].dtype == np.float32 and emb["image_emb"].shape[0] == len(paug), emb["image_emb"].shape
            for a in paug:
                assert len(a[0]) == 4 and all(0 <= op < 14 for op, _ in a[1]), a
            for k, captions in syn.items():
                assert emb[k + "_emb"].shape[0] == len(captions)
            # each teacher's part is unit length on its own (DataCompDR's layout), given the widths printed below
            d = int(sys.argv[2])
            for part in (emb["image_emb"][:, :d], emb["image_emb"][:, d:], emb["text_emb"][:, :d]):
                assert np.allclose(np.linalg.norm(part, axis=1), 1, atol=1e-4), np.linalg.norm(part, axis=1)
        print("numpy read", len(parts), "samples, widths", emb["image_emb"].shape[1], "keys", sorted(emb.files))
        """;

    [Fact]
    public void ExportDr_WritesShardsNumpyReads_AndADrStudentTrainsOnThem()
    {
        using var dir = new TempDir();
        var spec = dir.Write("rt.yaml", Reinforced);
        var run = Ablate.Run(dir.Path, "run", spec, "--threads", "1");
        Assert.True(run.ExitCode == 0, run.All);

        var export = Ablate.Run(dir.Path, "export-dr", "tiny-rt", "--out", "dr-out", "--per-shard", "64");

        Assert.True(export.ExitCode == 0, export.All);
        Assert.Contains("96 samples in 2 shard(s)", export.All);
        Assert.Contains("--distill-teacher-dimension 64 64 --distill-logit-scale 20 30", export.All);
        var check = dir.Write("check.py", NumpyCheck);
        var numpy = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", [check, Path.Combine(dir.Path, "dr-out"), "64"])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = numpy.StandardOutput.ReadToEnd() + numpy.StandardError.ReadToEnd();
        numpy.WaitForExit();
        Assert.True(numpy.ExitCode == 0, output);
        Assert.Contains("numpy read 64 samples, widths 128 keys ['image_emb', 'syn_text_cap_emb', 'text_emb']", output);

        var student = dir.Write("back.yaml", $$"""
            name: back
            seeds: [1]
            pipeline:
              student:
                type: dr_student
                options:
                  shards: dr-out/dr/{00000000..00000001}.tar
                  images: dr-out/images/{00000000..00000001}.tar
                  teachers: [{name: t_a, dim: 64, scale: 20}, {name: t_b, dim: 64, scale: 30}]
                  image_size: 16
                  batch_size: 32
            """);
        var back = Ablate.Run(dir.Path, "run", student, "--threads", "1");
        Assert.True(back.ExitCode == 0, back.All);
        var trained = Assert.Single(ResultsReader.Load(dir.Store(), "back").Runs);
        Assert.Equal(96, trained.Metrics["samples_per_epoch"]);
        Assert.Equal(0, trained.Metrics["skipped"]);

        // A damaged artifact is refused, never exported: one teacher's embeddings with a byte flipped.
        string embed;
        using (var db = dir.Store().NewContext())
            embed = db.Stages.AsNoTracking().First(s => s.Type == "embed").Hash;
        var parquet = Path.Combine(dir.Path, ".ablations", "artifacts", embed[..2], embed, "embeddings.parquet");
        var bytes = File.ReadAllBytes(parquet);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(parquet, bytes);
        var damaged = Ablate.Run(dir.Path, "export-dr", "tiny-rt", "--out", "dr-out-2");
        Assert.Equal(2, damaged.ExitCode);
        Assert.Contains("is damaged", damaged.All);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "dr-out-2", "dr")));
    }

    [Fact]
    public void ExportDr_OfOurOwnAugmentationStyle_IsRefusedWithTheSettingThatFixesIt()
    {
        using var dir = new TempDir();
        var spec = dir.Write("rt.yaml", Reinforced.Replace(", style: torchvision", ""));
        Assert.Equal(0, Ablate.Run(dir.Path, "run", spec, "--threads", "1").ExitCode);

        var export = Ablate.Run(dir.Path, "export-dr", "tiny-rt");

        Assert.Equal(2, export.ExitCode);
        Assert.Contains("augment.style: torchvision", export.All);
    }
}
