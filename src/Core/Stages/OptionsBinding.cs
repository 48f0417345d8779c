using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>Entry points shared by every options record: bind a stage config or throw with all errors.</summary>
public static class OptionsBinding
{
    public static T BindOrThrow<T>(JsonObject? config, Func<ConfigReaderHandle, T> bind)
    {
        var errors = new List<ConfigProblem>();
        var reader = new ConfigReader(config, "", errors);
        var result = bind(new ConfigReaderHandle(reader));
        reader.RejectUnknown();
        if (errors.Count > 0) throw new StageConfigException(errors);
        return result;
    }
}

/// <summary>Opaque wrapper so the internal reader can flow through public bind signatures.</summary>
public readonly struct ConfigReaderHandle
{
    internal ConfigReaderHandle(ConfigReader reader) => Reader = reader;
    internal ConfigReader Reader { get; }
}
