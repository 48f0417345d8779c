using Ablations.Core.Planning;
using Ablations.Core.Spec;
using Ablations.Core.Store;
using System.Text.Json.Nodes;

namespace Ablations.Core.Tests.Store;

/// <summary>A real SQLite store in a temp folder, and a small two-level plan (one shared parent, N children).</summary>
internal sealed class StoreFixture : IDisposable
{
    public StoreFixture()
    {
        Dir = Directory.CreateTempSubdirectory("ablations-store-").FullName;
        Store = ResultsStore.Open(StoreLocation.Sqlite(Path.Combine(Dir, "ablations.db")));
    }

    public string Dir { get; }
    public ResultsStore Store { get; }

    private sealed class ParentChildPipeline(int parentOption) : IPipeline
    {
        public string Name => "pc";

        public IReadOnlyList<StageSpec> Build(ExperimentSpec spec, IReadOnlyDictionary<string, JsonNode?> runParams, JsonObject runConfig, long seed) =>
        [
            new("parent", "parent", new JsonObject { ["p"] = parentOption }, new Dictionary<string, string>()),
            new("child", "child", new JsonObject { ["x"] = runConfig["x"]!.DeepClone(), ["seed"] = seed }, new Dictionary<string, string> { ["in"] = "parent" }),
        ];
    }

    public static StagePlan Plan(string name = "exp", params int[] xs) => Plan(name, 1, "x", xs);

    /// <summary>The same two-level plan with the shared parent's option and the spec text chosen (a changed spec).</summary>
    public static StagePlan Plan(string name, int parentOption, string specText, params int[] xs) => Planner.Plan(new ExperimentSpec
    {
        Name = name, SourcePath = "exp.yaml", SourceText = specText, Pipeline = "pc",
        Axes = [new Axis(["x"], xs.Select(x => (IReadOnlyList<JsonNode?>)[JsonValue.Create(x)]).ToList())],
        Seeds = [1],
    }, new ParentChildPipeline(parentOption));

    /// <summary>A manifest of no files: what a stage that published an empty folder records.</summary>
    public static Ablations.Core.Artifacts.ArtifactManifest Empty => new([]);

    public SubmitResult Submit(StagePlan plan) => Store.Submit(plan, "test", null, """{"axes":["x"],"baseline":null,"design":"Full","metric":null}""");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
