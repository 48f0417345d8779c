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
