using Ablations.Core.Spec;
using System.Text;

namespace Ablations.Core.Tests.Spec;

public class HostileYamlTests
{
    [Fact]
    public void Parse_BillionLaughs_IsRefusedWithMessage()
    {
        var yaml = new StringBuilder("name: bomb\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 1; i < 12; i++)
        {
            var prev = (char)('a' + i - 1);
            var cur = (char)('a' + i);
            yaml.Append($"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n");
        }
        var d = SpecText.Errors(yaml.ToString());
        Assert.Contains("alias bomb", d.Single().Message);
    }

    [Fact]
    public void Parse_AliasBombInsideStages_IsRefused()
    {
        var yaml = "name: x\nstages:\n  a: &a {k: [1,2,3,4,5,6,7,8,9,10]}\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n  f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n";
        var d = SpecText.Errors(yaml);
        SpecText.Has(d, 8, 7, "more than 200,000 nodes");
    }

    [Fact]
    public void Parse_TooLargeDocument_IsRefused()
    {
        var yaml = "name: big\ndescription: " + new string('x', 1_100_000) + "\n";
        Assert.Contains("byte limit", SpecText.Errors(yaml).Single().Message);
    }

    [Fact]
    public void Parse_DeepFlowNesting_IsRefused()
    {
        var yaml = "name: deep\nstages: {a: " + new string('[', 100_000) + "\n";
        var d = SpecText.Errors(yaml);
        Assert.Contains("deeper than 64", d.Single().Message);
    }

    [Fact]
    public void Parse_DeepBlockNesting_IsRefused()
    {
        var yaml = new StringBuilder("name: deep\n");
        for (var i = 0; i < 80; i++)
        {
            yaml.Append(new string(' ', i)).Append("k:\n");
        }
        Assert.Contains("deeper than 64", SpecText.Errors(yaml.ToString()).Single().Message);
    }

    [Fact]
    public void Parse_NestingWithinLimit_IsAccepted()
    {
        var stage = string.Concat(Enumerable.Repeat("{a: ", 31)) + "1" + new string('}', 31);
        var spec = SpecText.Ok("name: ok\nstages: {s: " + stage + "}\nparameters: {a: {value: " + new string('[', 16) + new string(']', 16) + "}}\n");
        Assert.NotNull(spec.Fixed["a"]);
        Assert.NotNull(spec.Stages["s"]);
    }

    [Fact]
    public void Parse_BinaryJunk_IsRefused()
    {
        var junk = new string([.. Enumerable.Range(0, 512).Select(i => (char)((i * 7919) % 256))]);
        Assert.Contains("binary data", SpecText.Errors(junk).Single().Message);
    }

    [Fact]
    public void Parse_UnprintableCharacters_AreAYamlDiagnostic()
    {
        SpecText.Has(SpecText.Errors("name: x\ndescription: a\u001fb\n"), 2, 15, "control character U+001F");
    }

    [Fact]
    public void Load_NonUtf8File_IsRefused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"spec-{Guid.NewGuid():N}.yaml");
        File.WriteAllBytes(path, [.. "name: caf"u8.ToArray(), 0xE9, 0x0A]);
        try
        {
            var result = SpecLoader.Load(path);
            Assert.False(result.Ok);
            Assert.Contains("not UTF-8", result.Diagnostics.Single().Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_OversizedFile_IsRefusedBeforeReading()
    {
        var path = Path.Combine(Path.GetTempPath(), $"spec-{Guid.NewGuid():N}.yaml");
        File.WriteAllBytes(path, new byte[SpecLimits.MaxBytes + 1]);
        try
        {
            Assert.Contains("byte limit", SpecLoader.Load(path).Diagnostics.Single().Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Parse_MultipleDocuments_IsRefused()
    {
        var d = SpecText.Errors("name: a\n---\nname: b\n");
        SpecText.Has(d, 2, 1, "more than one YAML document");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("# only a comment\n")]
    [InlineData("~\n")]
    public void Parse_EmptyDocument_IsRefused(string yaml)
    {
        SpecText.Has(SpecText.Errors(yaml), 1, 1, "the file is empty");
    }

    [Theory]
    [InlineData("- a\n- b\n", "the top level is a list")]
    [InlineData("just text\n", "the top level is a scalar")]
    public void Parse_NonMappingRoot_IsRefused(string yaml, string message)
    {
        SpecText.Has(SpecText.Errors(yaml), 1, 1, message);
    }

    [Fact]
    public void Parse_SyntaxError_ReportsYamlDotNetPosition()
    {
        var d = SpecText.Errors("name: x\nparameters:\n  a: {values: [1, 2}\n");
        Assert.StartsWith("invalid YAML", d.Single().Message);
        Assert.Equal(3, d.Single().Line);
    }

    [Fact]
    public void Parse_InputThatBreaksYamlDotNetScanner_IsADiagnostic()
    {
        var text = "name: r\nmethod: random\nrun_cap: 2\n{etric: {name: zeroshot_avg, goal: maximize}\nstages:\n  student: {arch: cnn-tiny, epochs: 4}\n";
        var d = SpecText.Errors(text).Single();
        Assert.StartsWith("invalid YAML", d.Message);
        Assert.Contains("could not read", d.Message);
    }

    [Fact]
    public void Parse_UnknownAlias_IsReported()
    {
        SpecText.Has(SpecText.Errors("name: x\nstages: {a: *nope}\n"), 2, 13, "alias '*nope' refers to no anchor");
    }

    [Fact]
    public void Parse_SelfReferentialAnchor_IsReported()
    {
        Assert.Contains("refers to no anchor", SpecText.Errors("name: x\nstages: &s {a: *s}\n").Single().Message);
    }

    [Fact]
    public void Parse_ComplexKeyOrUnsupportedTag_IsReported()
    {
        Assert.Contains("mapping key must be a plain name", SpecText.Errors("name: x\n? [a, b]\n: 1\n").Single().Message);
        Assert.Contains("tag '!python/object' is not supported", SpecText.Errors("name: x\nparameters: {a: {value: !python/object 1}}\n").Single().Message);
    }

    [Fact]
    public void Parse_HugeIntegerAndInfinity_AreReported()
    {
        var d = SpecText.Errors("name: x\nparameters: {a: {value: 99999999999999999999}, b: {value: .inf}}\n");
        Assert.Contains(d, x => x.Message.Contains("out of range"));
        Assert.Contains(d, x => x.Message.Contains("not a finite number"));
    }

    [Fact]
    public void Parse_LongGarbageKey_DoesNotBlowUpSuggestions()
    {
        var key = new string('q', 1000);
        var message = SpecText.Errors($"name: x\n{key}: 1\n").Single().Message;
        Assert.Contains("unknown key 'qqqq", message);
        Assert.DoesNotContain(key, message);
    }

    [Fact]
    public void Parse_MergeKeyOfScalar_IsReported()
    {
        SpecText.Has(SpecText.Errors("name: x\nstages: {a: {<<: 5}}\n"), 2, 14, "merge key '<<' takes a mapping");
    }

    [Fact]
    public void Parse_DeepValuesAndLongPaths_AreRefusedBeforeJsonDepthLimits()
    {
        var deep = new string('[', 20) + new string(']', 20);
        var deepStage = string.Concat(Enumerable.Repeat("{a: ", 40)) + "1" + new string('}', 40);
        var longPath = string.Join('.', Enumerable.Repeat("k", 20));
        var d = SpecText.Errors($"name: x\nstages: {{s: {deepStage}}}\nparameters:\n  a: {{value: {deep}}}\n  {longPath}: {{value: 1}}\n");
        SpecText.Has(d, 2, 13, "'stages.s' nests deeper than 32 levels");
        SpecText.Has(d, 4, 14, "nests deeper than 16 levels");
        SpecText.Has(d, 5, 3, "is not a valid dotted path", "at most 16");
    }
}
