using System.Text.Json.Nodes;
using Ablations.Core.Planning;
using Ablations.Core.Planning.Pipelines;
using Ablations.Core.Spec;
using YamlDotNet.Serialization;

namespace Ablations.Runner.Tests.Planning;

/// <summary>
/// experiments/quickstart.yaml through the pipeline (read here with a minimal YAML → JSON conversion, not the
/// real spec parser): every cell plans, and the world, teachers and embeddings are shared across runs.
/// </summary>
public sealed class QuickstartPlanTests
{
    private static string RepoFile(string relative, [System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        var dir = Path.GetDirectoryName(source)!;
        while (!File.Exists(Path.Combine(dir, "Ablations.sln"))) dir = Path.GetDirectoryName(dir) ?? throw new FileNotFoundException("repository root");
        return Path.Combine(dir, relative);
    }

    private static JsonNode? ToJson(object? yaml) => yaml switch
    {
        Dictionary<object, object?> map => new JsonObject(map.Select(kv => KeyValuePair.Create(kv.Key.ToString()!, ToJson(kv.Value)))),
        List<object?> list => new JsonArray(list.Select(ToJson).ToArray()),
        string s when long.TryParse(s, out var l) => l,
        string s when double.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, out var d) => d,
        string s when bool.TryParse(s, out var b) => b,
        string s => s,
        _ => null,
    };

    [Fact]
    public void Quickstart_EveryCellPlans_AndSharesWorldTeachersAndEmbeddings()
    {
        var root = ToJson(new DeserializerBuilder().Build().Deserialize<object>(File.ReadAllText(RepoFile("experiments/quickstart.yaml"))))!.AsObject();
        var variants = root["variants"]!.AsObject().ToDictionary(kind => kind.Key,
            kind => (IReadOnlyDictionary<string, JsonObject>)kind.Value!.AsObject().ToDictionary(v => v.Key, v => v.Value!.AsObject()));
        var spec = new ExperimentSpec
        {
            Name = "quickstart", SourcePath = "quickstart.yaml", SourceText = "", Pipeline = "reinforced",
            Stages = root["stages"]!.AsObject(), Variants = variants,
        };
        var unique = new Dictionary<string, HashSet<string>>();
        var runs = 0;
        foreach (var teachers in root["parameters"]!["student.teachers"]!["values"]!.AsArray())
        foreach (var scale in root["parameters"]!["student.kd.scale"]!["values"]!.AsArray())
        {
            if (teachers!.AsArray().Count == 0 && (long)scale! != 5) continue; // the spec's exclude list
            foreach (var seed in root["seeds"]!.AsArray())
            {
                var config = spec.Stages.DeepClone().AsObject();
                config["student"]!["teachers"] = teachers.DeepClone();
                config["student"]!["kd"]!["scale"] = scale!.DeepClone();
                var stages = new ReinforcedPipeline().Build(spec, new Dictionary<string, JsonNode?>(), config, (long)seed!);
                var identity = new Dictionary<string, string>();
                foreach (var s in stages)
                {
                    identity[s.Key] = s.Type + s.Config.ToJsonString() + string.Join(",", s.Inputs.OrderBy(i => i.Key).Select(i => i.Key + "=" + identity[i.Value]));
                    (unique.TryGetValue(s.Type, out var set) ? set : unique[s.Type] = []).Add(identity[s.Key]);
                }
                runs++;
            }
        }
        Assert.Equal(20, runs);
        Assert.Single(unique["world"]);
        Assert.Equal(2, unique["teacher"].Count);
        Assert.Equal(2, unique["embed"].Count);
        Assert.False(unique.ContainsKey("captioner"));
        Assert.Equal(20, unique["student"].Count);
    }
}
