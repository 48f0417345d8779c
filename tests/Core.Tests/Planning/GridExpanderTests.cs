using Ablations.Core.Planning;
using Ablations.Core.Spec;
using Ablations.Core.Tests.Spec;
using System.Text.Json.Nodes;

namespace Ablations.Core.Tests.Planning;

public class GridExpanderTests
{
    private static string Show(Cell c) => string.Join(",", c.Params.Select(kv => $"{kv.Key}={kv.Value?.ToJsonString()}"));

    [Fact]
    public void Expand_FullGrid_IsCartesianProductInSpecOrder()
    {
        var spec = SpecText.Ok("""
            name: g
            parameters:
              a: {values: [1, 2]}
              b: {values: [x, y, z]}
              c: {value: 5}
            """);
        var e = GridExpander.Expand(spec);
        Assert.Equal(6, e.Cells.Count);
        Assert.Equal(6, e.TotalBeforeCap);
        Assert.Equal(0, e.LeftOutByCap);
        Assert.Equal("a=1,b=\"x\"", Show(e.Cells[0]));
        Assert.Equal("a=1,b=\"y\"", Show(e.Cells[1]));
        Assert.Equal("a=2,b=\"z\"", Show(e.Cells[5]));
        Assert.Equal([0, 1, 2, 3, 4, 5], e.Cells.Select(c => c.Index));
        Assert.All(e.Cells, c => Assert.False(c.Params.ContainsKey("c")));
    }

    [Fact]
    public void Expand_ZipGroup_MovesKeysTogether()
    {
        var spec = SpecText.Ok("""
            name: g
            parameters:
              a: {values: [1, 2]}
            zip:
              - {b: [10, 20, 30], c: [0.1, 0.2, 0.3]}
            """);
        var e = GridExpander.Expand(spec);
        Assert.Equal(6, e.Cells.Count);
        Assert.Equal("a=1,b=20,c=0.2", Show(e.Cells[1]));
    }
}

public class GridExpanderDesignTests
{
    private static string Show(Cell c) => string.Join(",", c.Params.Select(kv => $"{kv.Key}={kv.Value?.ToJsonString()}"));

    [Fact]
    public void Expand_ExcludeAndInclude_DropMatchesThenAppendNewCells()
    {
        var spec = SpecText.Ok("""
            name: g
            parameters:
              t: {values: [[], [a], [b]]}
              s: {values: [5, 20]}
            variants: {teachers: {a: {}, b: {}}}
            exclude: [{t: [], s: 20}]
            include:
              - {t: [a], s: 70}
              - {t: [b], s: 5}
              - {s: 99}
            """);
        var e = GridExpander.Expand(spec);
        Assert.Equal(["t=[],s=5", "t=[\"a\"],s=5", "t=[\"a\"],s=20", "t=[\"b\"],s=5", "t=[\"b\"],s=20", "t=[\"a\"],s=70", "t=[],s=99"], e.Cells.Select(Show));
        Assert.Equal(7, e.TotalBeforeCap);
    }

    [Fact]
    public void Expand_IncludeMissingKeys_TakeBaselineValues()
    {
        var spec = SpecText.Ok("""
            name: g
            parameters:
              a: {values: [1, 2]}
              b: {values: [x, y]}
            baseline: {a: 2, b: y}
            include: [{a: 3}]
            """);
        var e = GridExpander.Expand(spec);
        Assert.Equal("a=3,b=\"y\"", Show(e.Cells[^1]));
        Assert.Equal([3], e.Cells.Where(c => c.IsBaseline).Select(c => c.Index));
    }

    [Fact]
    public void Expand_OneAtATime_VariesEachAxisAloneFromBaseline()
    {
        var spec = SpecText.Ok("""
            name: g
            design: one_at_a_time
            parameters:
              a: {values: [1, 2, 3]}
              b: {values: [x, y]}
            zip:
              - {c: [10, 20], d: [0.1, 0.2]}
            baseline: {a: 2, d: 0.1}
            """);
        var e = GridExpander.Expand(spec);
        Assert.Equal(
        [
            "a=2,b=\"x\",c=10,d=0.1",
            "a=1,b=\"x\",c=10,d=0.1",
            "a=3,b=\"x\",c=10,d=0.1",
            "a=2,b=\"y\",c=10,d=0.1",
            "a=2,b=\"x\",c=20,d=0.2",
        ], e.Cells.Select(Show));
        Assert.True(e.Cells[0].IsBaseline);
        Assert.All(e.Cells.Skip(1), c => Assert.False(c.IsBaseline));
    }

    [Fact]
    public void Expand_FullDesign_MarksBaselineCell()
    {
        var spec = SpecText.Ok("name: g\nparameters:\n  a: {values: [1, 2, 3]}\nbaseline: {a: 3.0}\n");
        var e = GridExpander.Expand(spec);
        Assert.Equal([false, false, true], e.Cells.Select(c => c.IsBaseline));
    }

    [Fact]
    public void Expand_RunCap_KeepsFirstCellsAndTheBaseline()
    {
        var spec = SpecText.Ok("name: g\nrun_cap: 3\nparameters:\n  a: {values: [1, 2, 3, 4, 5, 6]}\nbaseline: {a: 6}\n");
        var e = GridExpander.Expand(spec);
        Assert.Equal(["a=1", "a=2", "a=6"], e.Cells.Select(Show));
        Assert.Equal(6, e.TotalBeforeCap);
        Assert.Equal(3, e.LeftOutByCap);
        Assert.True(e.Cells[2].IsBaseline);
        Assert.Equal([0, 1, 2], e.Cells.Select(c => c.Index));
    }

    [Fact]
    public void Expand_OverrideRunCap_WinsOverSpec()
    {
        var spec = SpecText.Ok("name: g\nrun_cap: 3\nparameters:\n  a: {values: [1, 2, 3, 4, 5, 6]}\n");
        Assert.Equal(5, GridExpander.Expand(spec, overrideRunCap: 5).Cells.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => GridExpander.Expand(spec, overrideRunCap: 0));
    }

    [Fact]
    public void Expand_NoAxes_IsOneCell()
    {
        var e = GridExpander.Expand(SpecText.Ok("name: g\nparameters: {a: {value: 1}}\n"));
        Assert.Empty(e.Cells.Single().Params);
    }

    [Fact]
    public void Expand_IncludeEqualToGridCell_IsNotAddedAgain()
    {
        var e = GridExpander.Expand(SpecText.Ok("name: g\nparameters: {a: {values: [1, 2]}}\ninclude: [{a: 1.0}, {a: 3}, {a: 3}]\n"));
        Assert.Equal(3, e.Cells.Count);
    }

    [Fact]
    public void Expand_Cells_DoNotShareNodesWithSpec()
    {
        var spec = SpecText.Ok("name: g\nparameters: {t: {values: [[a]]}}\nvariants: {teachers: {a: {}}}\n");
        var cell = GridExpander.Expand(spec).Cells[0];
        Assert.NotSame(spec.Axes[0].Values[0][0], cell.Params["t"]);
        _ = new JsonObject { ["x"] = cell.Params["t"] };
    }
}

public class GridExpanderRandomTests
{
    private const string Random = """
        name: rnd
        method: random
        run_cap: 25
        parameters:
          lr: {distribution: log_uniform_values, min: 1e-5, max: 1e-1}
          epochs: {min: 1, max: 4}
          wd: {min: 0.0, max: 0.5}
          opt: {values: [adam, sgd], probabilities: [0.9, 0.1]}
        """;

    [Fact]
    public void Expand_Random_SamplesRunCapCellsWithinRanges()
    {
        var e = GridExpander.Expand(SpecText.Ok(Random));
        Assert.Equal(25, e.Cells.Count);
        Assert.All(e.Cells, c =>
        {
            var lr = c.Params["lr"]!.GetValue<double>();
            Assert.InRange(lr, 1e-5, 1e-1);
            Assert.InRange(c.Params["epochs"]!.GetValue<long>(), 1, 4);
            Assert.InRange(c.Params["wd"]!.GetValue<double>(), 0.0, 0.5);
            Assert.Contains(c.Params["opt"]!.GetValue<string>(), new[] { "adam", "sgd" });
        });
        Assert.True(e.Cells.Count(c => c.Params["opt"]!.GetValue<string>() == "adam") > 15);
        Assert.True(e.Cells.Count(c => c.Params["lr"]!.GetValue<double>() < 1e-3) > 5, "log-uniform puts half the mass below the geometric mean");
    }

    [Fact]
    public void Expand_Random_IsReproducibleAndDependsOnName()
    {
        static string All(Expansion e) => string.Join("|", e.Cells.Select(c => string.Join(",", c.Params.Values.Select(v => v!.ToJsonString()))));
        var a = All(GridExpander.Expand(SpecText.Ok(Random)));
        var b = All(GridExpander.Expand(SpecText.Ok(Random)));
        var c = All(GridExpander.Expand(SpecText.Ok(Random.Replace("name: rnd", "name: other"))));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Expand_Random_FixedSeedGivesKnownFirstValue()
    {
        // Pins the generator: SplitMix64 seeded with FNV-1a("rnd"); a change here changes every stored random sweep.
        var first = GridExpander.Expand(SpecText.Ok(Random)).Cells[0].Params["epochs"]!.GetValue<long>();
        var rng = new GridSplitMix64(GridRandomSampler.SeedOf("rnd"));
        rng.NextDouble();
        Assert.Equal(1 + rng.NextIndex(4), first);
    }

    [Fact]
    public void Expand_RandomSmallSpace_StopsWithoutDuplicates()
    {
        var e = GridExpander.Expand(SpecText.Ok("name: r\nmethod: random\nrun_cap: 50\nparameters:\n  a: {values: [1, 2, 3]}\nexclude: [{a: 2}]\n"));
        Assert.Equal([1L, 3L], e.Cells.Select(c => c.Params["a"]!.GetValue<long>()).Order());
    }

    [Fact]
    public void SplitMix64_KnownSeed_MatchesReferenceOutput()
    {
        // Reference values of SplitMix64 for seed 1234567 (from the published algorithm).
        var rng = new GridSplitMix64(1234567);
        Assert.Equal(6457827717110365317UL, rng.Next());
        Assert.Equal(3203168211198807973UL, rng.Next());
    }
}

public class GridExpanderCapTests
{
    [Fact]
    public void Expand_LargeGridWithRunCap_CountsWithoutBuildingEveryCell()
    {
        var values = "[" + string.Join(", ", Enumerable.Range(0, 10)) + "]";
        var yaml = "name: big\nrun_cap: 10\nbaseline: {p0: 9, p4: 9}\nexclude: [{p1: 3}]\nparameters:\n"
            + string.Concat(Enumerable.Range(0, 5).Select(i => $"  p{i}: {{values: {values}}}\n"));
        var e = GridExpander.Expand(SpecText.Ok(yaml));
        Assert.Equal(90_000, e.TotalBeforeCap);
        Assert.Equal(10, e.Cells.Count);
        Assert.Equal(89_990, e.LeftOutByCap);
        Assert.True(e.Cells[9].IsBaseline);
        Assert.Equal(9L, e.Cells[9].Params["p4"]!.GetValue<long>());
        Assert.Equal(0L, e.Cells[9].Params["p1"]!.GetValue<long>());
    }
}
