using Ablations.Core.Spec;

namespace Ablations.Core.Tests.Spec;

public class SpecFuzzTests
{
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
