using System.Text.Json.Nodes;
using Ablations.Core.Results;
using Ablations.Core.Spec;

namespace Ablations.Core.Tests.Spec;

/// <summary><c>claims:</c> in a spec: the forms it accepts, the values it checks against the grid, and where it says what is wrong.</summary>
public sealed class ClaimSpecTests
{
    private const string Grid = """
        name: x
        parameters:
          student.teachers: {values: [[], [t_a], [t_a, t_b]]}
          student.kd.scale: {values: [5, 20]}
        include:
          - {student.kd.scale: 50}
        variants:
          teachers: {t_a: {seed: 1}, t_b: {seed: 2}}

        """;

    [Fact]
    public void Claims_AreRead_WithValuesAsValuesWritesThem_AndTravelWithTheReportContext()
    {
        var spec = SpecText.Ok(Grid + """
            claims:
              student.kd.scale: interior optimum
              student.teachers: ["[t_a, t_b] > [t_a]", "[] < [t_a]", "best [t_a, t_b]"]
            """);
        Assert.Equal(4, spec.Claims.Count);
        Assert.Equal(ClaimKind.InteriorOptimum, spec.Claims[0].Kind);
        var better = spec.Claims[1];
        Assert.Equal((ClaimKind.Better, "[\"t_a\",\"t_b\"]", "[\"t_a\"]"), (better.Kind, better.A!.ToJsonString(), better.B!.ToJsonString()));
        var less = spec.Claims[2]; // "A < B" is read as "B > A"
        Assert.Equal(("[\"t_a\"]", "[]"), (less.A!.ToJsonString(), less.B!.ToJsonString()));
        Assert.Equal(ClaimKind.Best, spec.Claims[3].Kind);

        var context = ReportContext.FromJson(ReportContext.From(spec).ToJson());
        Assert.Equal(spec.Claims.Select(c => c.Text), context.Claims.Select(c => c.Text));
        Assert.True(JsonNode.DeepEquals(spec.Claims[1].A, context.Claims[1].A));
    }

    [Fact]
    public void SpecWithoutClaims_StoresTheSameReportContextAsBefore()
    {
        var json = ReportContext.From(SpecText.Ok(Grid)).ToJson();
        Assert.DoesNotContain("claims", json);
    }

    [Fact]
    public void BadClaims_SayWhereAndHowToWriteThem()
    {
        var d = SpecText.Errors(Grid + """
            claims:
              student.kd.scal: interior optimum
              student.teachers: "[t_c] > [t_a]"
              student.kd.scale: [best 7, "20 >", "5 > 5"]
            """);
        SpecText.Has(d, 10, 3, "'student.kd.scal' is not an axis of this grid", "student.kd.scale");
        SpecText.Has(d, 11, 21, "[\"t_c\"] is not a value this grid tries");
        SpecText.Has(d, 12, 22, "7 is not a value this grid tries", "5, 20, 50");
        SpecText.Has(d, 12, 30, "cannot read '20 >'", "\"A > B\"");
        SpecText.Has(d, 12, 38, "compares a value with itself");
    }

    [Fact]
    public void InteriorOptimum_NeedsANumericAxisWithThreeValues()
    {
        var d = SpecText.Errors(Grid.Replace("  - {student.kd.scale: 50}\n", "  - {student.teachers: [t_b]}\n") + "claims: {student.kd.scale: interior optimum}\n");
        Assert.Contains(d, x => x.Message.Contains("'interior optimum' needs a numeric axis with at least 3 values", StringComparison.Ordinal));
    }
}
