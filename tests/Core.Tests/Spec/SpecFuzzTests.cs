using Ablations.Core.Planning;
using Ablations.Core.Spec;
using System.Text.RegularExpressions;

namespace Ablations.Core.Tests.Spec;

public partial class SpecFuzzTests
{
    [GeneratedRegex(@"^[^:]+:[1-9][0-9]*:[1-9][0-9]*: \S")]
    private static partial Regex Positioned();

    /// <summary>
    /// 100 mutations of each of the real specs (the examples and experiments/*.yaml: 600 in all), made the way people
    /// break specs: a misspelt key (two letters swapped), a number out of range, a line dropped, a stray character.
    /// Each goes through loading and planning (every profile) as `ablate validate` does: every problem line it prints
    /// names its file:line:col.
    /// </summary>
    [Fact]
    public void PlanLoad_MutatedRealSpecs_EveryProblemLineHasFileLineColumn()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Ablations.sln")))
        {
            root = root.Parent;
        }
        var files = Directory.GetFiles(Path.Combine(root!.FullName, "experiments"), "*.yaml", SearchOption.AllDirectories).Order().ToList();
        var rng = new Random(668);
        int lines = 0, planning = 0;
        var unplaced = new List<string>();
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            for (var i = 0; i < 100; i++)
            {
                // Parsed under the file's own path, so a program beside it (train.py) is found as in a real run.
                var result = PlanLoader.Parse(Mutate(text, rng), file);
                foreach (var d in result.Problems)
                {
                    lines++;
                    planning += d.Message.StartsWith("stages.", StringComparison.Ordinal) || d.Message.StartsWith("profile '", StringComparison.Ordinal) ? 1 : 0;
                    if (!Positioned().IsMatch(d.ToString()) || d.File != file)
                    {
                        unplaced.Add(d.ToString());
                    }
                }
            }
        }
        Assert.True(lines > 300 && planning > 30, $"the mutations found too few problems to mean anything ({lines} lines, {planning} from planning)");
        Assert.True(unplaced.Count == 0, $"{unplaced.Count} of {lines} problem lines have no file:line:col:\n{string.Join("\n", unplaced.Take(20))}");
    }

    private static string Mutate(string text, Random rng)
    {
        var lines = text.Split('\n').ToList();
        for (var m = rng.Next(1, 3); m > 0; m--)
        {
            var at = rng.Next(lines.Count);
            var line = lines[at];
            switch (rng.Next(4))
            {
                case 0:
                    var words = WordPattern().Matches(line).Where(w => w.Length >= 4).ToList();
                    if (words.Count > 0)
                    {
                        var w = words[rng.Next(words.Count)];
                        var k = w.Index + rng.Next(w.Length - 1);
                        var chars = line.ToCharArray();
                        (chars[k], chars[k + 1]) = (chars[k + 1], chars[k]);
                        lines[at] = new string(chars);
                    }
                    break;
                case 1:
                    var numbers = NumberPattern().Matches(line).ToList();
                    if (numbers.Count > 0)
                    {
                        var n = numbers[rng.Next(numbers.Count)];
                        string[] odd = ["99999", "-1", "0", "2.5", "1e9"];
                        lines[at] = line[..n.Index] + odd[rng.Next(odd.Length)] + line[(n.Index + n.Length)..];
                    }
                    break;
                case 2:
                    lines.RemoveAt(at);
                    break;
                default:
                    var p = rng.Next(line.Length + 1);
                    lines[at] = line[..p] + " :-[{x"[rng.Next(6)] + line[p..];
                    break;
            }
        }
        return string.Join('\n', lines);
    }

    [GeneratedRegex("[a-z_]+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"(?<![\w.])[0-9]+(\.[0-9]+)?(?![\w.])")]
    private static partial Regex NumberPattern();

    /// <summary>Deterministic mutations of the shipped examples: the loader answers every one without throwing.</summary>
    [Fact]
    public void Parse_MutatedExamples_NeverThrow()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Ablations.sln")))
        {
            root = root.Parent;
        }
        Assert.NotNull(root);
        var texts = Directory.GetFiles(Path.Combine(root.FullName, "experiments", "examples"), "*.yaml").Select(File.ReadAllText).ToList();
        var rng = new Random(12345);
        const string alphabet = " \n\t:-[]{},&*!|>'\"#%@`?.0123456789abcxyz";
        var count = 0;
        foreach (var text in texts)
        {
            for (var i = 0; i < 100; i++)
            {
                var chars = text.ToCharArray().ToList();
                for (var m = rng.Next(1, 6); m > 0; m--)
                {
                    var at = rng.Next(chars.Count);
                    switch (rng.Next(3))
                    {
                        case 0: chars[at] = alphabet[rng.Next(alphabet.Length)]; break;
                        case 1: chars.Insert(at, alphabet[rng.Next(alphabet.Length)]); break;
                        default: chars.RemoveAt(at); break;
                    }
                }
                var mutated = new string([.. chars]);
                var result = SpecLoader.Parse(mutated, "fuzz.yaml");
                Assert.True(result.Ok || result.Diagnostics.Count > 0);
                count += result.Ok ? 0 : 1;
                if (result.Ok)
                {
                    Ablations.Core.Planning.GridExpander.Expand(result.Spec!);
                }
            }
        }
        Assert.True(count > 0);
    }

    /// <summary>Every "key: value" line of every example, with the value swapped for other shapes: never a throw.</summary>
    [Fact]
    public void Parse_ValuesOfOtherShapes_NeverThrow()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Ablations.sln")))
        {
            root = root.Parent;
        }
        string[] shapes = ["~", "[]", "{}", "-1", "x", "[~]", "{a: ~}"];
        foreach (var file in Directory.GetFiles(Path.Combine(root!.FullName, "experiments", "examples"), "*.yaml"))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var colon = lines[i].IndexOf(": ", StringComparison.Ordinal);
                var dash = lines[i].TrimStart().StartsWith("- ", StringComparison.Ordinal) ? lines[i].IndexOf("- ", StringComparison.Ordinal) : -1;
                var cut = colon >= 0 ? colon + 2 : dash >= 0 ? dash + 2 : -1;
                if (cut < 0 || lines[i].TrimStart().StartsWith('#'))
                {
                    continue;
                }
                foreach (var shape in shapes)
                {
                    var copy = (string[])lines.Clone();
                    copy[i] = lines[i][..cut] + shape;
                    var result = SpecLoader.Parse(string.Join("\n", copy), "shape.yaml");
                    if (result.Ok)
                    {
                        Ablations.Core.Planning.GridExpander.Expand(result.Spec!);
                        foreach (var cell in Ablations.Core.Planning.GridExpander.Expand(result.Spec!).Cells.Take(3))
                        {
                            Ablations.Core.Planning.RunConfigBuilder.Build(result.Spec!, cell);
                        }
                    }
                    else
                    {
                        Assert.All(result.Diagnostics, d => Assert.True(d.Line >= 1 && d.Column >= 1, d.ToString()));
                    }
                }
            }
        }
    }
}
