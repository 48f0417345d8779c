namespace Ablations.Core.Spec;

/// <summary>Collects every problem found in one file, so all of them are reported at once.</summary>
internal sealed class DiagnosticBag(string file)
{
    private readonly List<SpecDiagnostic> _items = [];

    public string File { get; } = file;
    public IReadOnlyList<SpecDiagnostic> Items => _items;
    public int Count => _items.Count;

    public void Add(int line, int column, string message) => _items.Add(new SpecDiagnostic(File, line, column, message));

    public void Add(SpecNode node, string message) => Add(node.Line, node.Column, message);

    public IReadOnlyList<SpecDiagnostic> Sorted() =>
        [.. _items.Distinct().OrderBy(d => d.Line).ThenBy(d => d.Column)];
}
