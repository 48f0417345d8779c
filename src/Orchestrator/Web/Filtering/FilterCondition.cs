namespace Ablations.Orchestrator.Web.Filtering;

/// <summary>A literal on the right of a comparison: a number, or a string (true/false are the strings "true"/"false").</summary>
internal sealed record FilterValue(double? Number, string Text);

/// <summary>One comparison, e.g. metrics.zeroshot_avg &gt; 0.5; Operator is one of = != &lt; &lt;= &gt; &gt;= LIKE ILIKE.</summary>
internal sealed record FilterCondition(FilterField Field, string Operator, FilterValue Value);
