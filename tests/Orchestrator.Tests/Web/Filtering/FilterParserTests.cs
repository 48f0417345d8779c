using Ablations.Core.Results;
using Ablations.Orchestrator.Web.Filtering;
using System.Text.Json.Nodes;

namespace Ablations.Orchestrator.Tests.Web.Filtering;

public sealed class FilterParserTests
{
    private static RunResult Run(string json, long seed = 1, string status = "succeeded", string id = "abc123", (string, double)[]? metrics = null) =>
        new(id, 0, JsonNode.Parse(json)!.AsObject().ToDictionary(p => p.Key, p => p.Value?.DeepClone()), seed, status, false,
            (metrics ?? []).ToDictionary(m => m.Item1, m => m.Item2), new Dictionary<string, IReadOnlyList<CurvePoint>>());

    private static RunFilter Parse(string text)
    {
        var (filter, error) = FilterParser.Parse(text);
        Assert.True(error is null, error?.Message);
        return filter!;
    }

    [Fact]
    public void Parse_Empty_MatchesEveryRun()
    {
        Assert.Empty(Parse("").Conditions);
        Assert.True(Parse("   ").Matches(Run("{}")));
    }

    [Fact]
    public void Parse_DottedParamAndMetric_BothMustHold()
    {
        var filter = Parse("params.student.kd.scale = 70 and metrics.zeroshot_avg > 0.5");

        Assert.Equal(2, filter.Conditions.Count);
        Assert.True(filter.Matches(Run("""{"student.kd.scale": 70}""", metrics: [("zeroshot_avg", 0.61)])));
        Assert.False(filter.Matches(Run("""{"student.kd.scale": 70}""", metrics: [("zeroshot_avg", 0.4)])));
        Assert.False(filter.Matches(Run("""{"student.kd.scale": 50}""", metrics: [("zeroshot_avg", 0.9)])));
        Assert.False(filter.Matches(Run("""{"student.kd.scale": 70}"""))); // no metric yet: no match
    }

    [Theory]
    [InlineData("seed >= 2 AND seed < 3", true)]
    [InlineData("seed >= 2 And seed != 2", false)]
    [InlineData("seed <= 2 and seed > 1", true)]
    [InlineData("attributes.seed = 2", true)]
    public void Parse_AndIsCaseInsensitive_NumericOperators(string text, bool matches) =>
        Assert.Equal(matches, Parse(text).Matches(Run("{}", seed: 2)));

    [Theory]
    [InlineData("params.captions = 'synthetic'", true)]
    [InlineData("params.captions = \"synthetic\"", true)]
    [InlineData("params.captions != 'synthetic'", false)]
    [InlineData("params.captions LIKE 'syn%'", true)]
    [InlineData("params.captions LIKE 'SYN%'", false)]
    [InlineData("params.captions ilike 'SYN%'", true)]
    [InlineData("params.captions LIKE 's_nthetic'", true)]
    [InlineData("params.captions < 'web'", true)]
    public void Parse_StringComparisons(string text, bool matches) =>
        Assert.Equal(matches, Parse(text).Matches(Run("""{"captions": "synthetic"}""")));

    [Theory]
    [InlineData("params.teachers = 't_a+t_b'", true)]
    [InlineData("params.teachers LIKE '%t_b%'", true)]
    [InlineData("params.teachers = 't_a'", false)]
    public void Parse_ArrayParam_ComparesAsItemsJoinedByPlus(string text, bool matches) =>
        Assert.Equal(matches, Parse(text).Matches(Run("""{"teachers": ["t_a", "t_b"]}""")));

    [Fact]
    public void Parse_EmptyArrayParam_ReadsAsNone()
    {
        Assert.True(Parse("params.teachers = 'none'").Matches(Run("""{"teachers": []}""")));
        Assert.Equal("none", RunFilter.ParamText(new JsonArray()));
    }

    [Theory]
    [InlineData("params.lr = 0.001", true)]
    [InlineData("params.lr < 0.01", true)]
    [InlineData("params.lr = '0.001'", true)]
    [InlineData("params.name = 3", false)]
    [InlineData("params.use_kd = true", true)]
    [InlineData("params.missing = 1", false)]
    [InlineData("params.missing != 1", false)]
    public void Parse_ParamTypes_NumbersCompareAsNumbersTextAsText(string text, bool matches) =>
        Assert.Equal(matches, Parse(text).Matches(Run("""{"lr": 0.001, "name": "x", "use_kd": true}""")));

    [Theory]
    [InlineData("status = 'failed'", true)]
    [InlineData("attributes.status = 'FAILED'", true)]
    [InlineData("status != 'succeeded'", true)]
    [InlineData("run_id = 'r-42'", true)]
    [InlineData("attributes.run_id LIKE 'r-%'", true)]
    [InlineData("metrics.`teacher:t_a.loss` < 1", true)]
    [InlineData("metrics.teacher:t_a.loss < 1", true)]
    public void Parse_AttributesAndOddMetricNames(string text, bool matches) =>
        Assert.Equal(matches, Parse(text).Matches(Run("{}", status: "failed", id: "r-42", metrics: [("teacher:t_a.loss", 0.5)])));

    [Theory]
    [InlineData("metrics.score >", 16, "expected a value after '>'")]
    [InlineData("metrics.score > and seed = 1", 17, "expected a value after '>'")]
    [InlineData("params.a = 1 and", 17, "expected a condition such as params.lr > 0.1 after 'and', found the end of the filter")]
    [InlineData("and seed = 1", 1, "expected a condition")]
    [InlineData("params.a 1", 10, "expected an operator (=, !=, <, <=, >, >=, LIKE or ILIKE) after 'params.a', found '1'")]
    [InlineData("params.a = 'x", 12, "unterminated string: no closing '")]
    [InlineData("foo = 1", 1, "unknown name 'foo'; use params.<key>, metrics.<name>")]
    [InlineData("params.a = 1 or seed = 2", 14, "'or' is not supported; conditions can only be joined with 'and'")]
    [InlineData("params.a = 1 seed = 2", 14, "expected 'and' or the end of the filter, found 'seed'")]
    [InlineData("metrics.score LIKE '1%'", 15, "LIKE compares strings, but metrics.score is a number")]
    [InlineData("metrics.score = 'high'", 17, "metrics.score is a number; compare it with a number, not 'high'")]
    [InlineData("seed = 'one'", 8, "attributes.seed is a number")]
    [InlineData("status = 'done'", 10, "unknown status 'done'; statuses are succeeded, failed, cancelled, running, pending")]
    [InlineData("attributes.colour = 'x'", 1, "unknown attribute 'colour'; attributes are status, seed, run_id")]
    [InlineData("params.a # 1", 10, "unexpected character '#'")]
    [InlineData("params.a = abc", 12, "expected a value after '=': a number or a quoted string such as 'abc'")]
    [InlineData("params. = 1", 1, "expected a parameter key after 'params.'")]
    [InlineData("metrics. > 1", 1, "expected a metric name after 'metrics.'")]
    [InlineData("params.a ! 1", 10, "'!' must be followed by '='")]
    [InlineData("params.a LIKE 3", 15, "LIKE needs a quoted pattern such as '%3%'")]
    [InlineData("seed = 1.2.3", 8, "'1.2.3' is not a number")]
    public void Parse_Invalid_ErrorNamesThePosition(string text, int position, string reason)
    {
        var (filter, error) = FilterParser.Parse(text);

        Assert.Null(filter);
        Assert.NotNull(error);
        Assert.Equal(position, error.Position);
        Assert.Contains(reason, error.Reason);
        Assert.StartsWith($"position {position}: ", error.Message);
    }

    [Fact]
    public void Like_EscapesRegexCharacters_AndSpansTheWholeText()
    {
        Assert.True(RunFilter.Like("a.b(c)", "a.b(c)", ignoreCase: false));
        Assert.False(RunFilter.Like("axb(c)", "a.b(c)", ignoreCase: false));
        Assert.False(RunFilter.Like("xabc", "abc", ignoreCase: false));
        Assert.True(RunFilter.Like("line1\nline2", "%line2", ignoreCase: false));
    }
}
