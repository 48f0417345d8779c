using System.Text.Json.Nodes;

namespace Ablations.Core.Planning;

/// <summary>
/// One point of the ablation grid: the value of every swept key (dotted path → JSON value). Seeds are not
/// part of a cell; each cell runs once per seed. <see cref="IsBaseline"/> marks the spec's baseline cell.
/// </summary>
public sealed record Cell(int Index, IReadOnlyDictionary<string, JsonNode?> Params, bool IsBaseline = false);

/// <summary>The cells a spec expands to, and how many the run cap left out.</summary>
public sealed record Expansion(IReadOnlyList<Cell> Cells, int TotalBeforeCap, int LeftOutByCap);
