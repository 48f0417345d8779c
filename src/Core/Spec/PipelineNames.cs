namespace Ablations.Core.Spec;

/// <summary>The names a spec's pipeline can have; each is one <c>IPipeline</c> of the planner's <c>PipelineCatalog</c>.</summary>
public static class PipelineNames
{
    /// <summary>The MobileCLIP pipeline of built-in stage types.</summary>
    public const string Reinforced = "reinforced";

    /// <summary>One external program per run.</summary>
    public const string Command = "command";

    /// <summary>The spec's own stages (<c>pipeline:</c> as a mapping); never written by name.</summary>
    public const string Own = "stages";

    /// <summary>The pipelines a spec can name with <c>pipeline: NAME</c>.</summary>
    public static readonly string[] Named = [Reinforced, Command];
}
