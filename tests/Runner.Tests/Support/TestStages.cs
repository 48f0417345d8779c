using System.Text.Json.Nodes;
using Ablations.Core.Execution;

namespace Ablations.Runner.Tests.Support;

/// <summary>Metrics kept in memory for assertions.</summary>
internal sealed class RecordingSink : IMetricSink
{
    public List<(string Name, long Step, double Value)> Points { get; } = [];
    public Dictionary<string, double> Finals { get; } = [];

    public void Log(string name, long step, double value) => Points.Add((name, step, value));

    public void Final(string name, double value) => Finals[name] = value;

    public int Flushes { get; private set; }

    public void Flush() => Flushes++;
}

/// <summary>Runs executors directly with temp dirs: an artifact per stage under one root, deleted on dispose.</summary>
internal sealed class StageHarness : IDisposable
{
    public StageHarness()
    {
        Root = Path.Combine(Path.GetTempPath(), "ablations-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }
    public StringWriter Log { get; } = new();

    public (string Dir, RecordingSink Metrics) Run(IStageExecutor executor, string name, JsonObject config,
        IReadOnlyDictionary<string, string>? inputs = null, CancellationToken cancel = default, string? scratch = null)
    {
        var output = Path.Combine(Root, name);
        Directory.CreateDirectory(output);
        var sink = new RecordingSink();
        executor.Execute(Context(executor.Type.Name, name, config, inputs, output, sink, cancel, scratch));
        return (output, sink);
    }

    public StageContext Context(string type, string name, JsonObject config, IReadOnlyDictionary<string, string>? inputs,
        string output, IMetricSink sink, CancellationToken cancel = default, string? scratch = null) => new()
    {
        StageHash = name,
        StageType = type,
        Config = config,
        Inputs = inputs ?? new Dictionary<string, string>(),
        OutputDir = output,
        ScratchDir = scratch ?? Path.Combine(Root, name + ".scratch"),
        Metrics = sink,
        Progress = (_, _) => { },
        Log = Log,
        Cancellation = cancel,
    };

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
