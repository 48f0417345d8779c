using Ablations.Core.Execution;
using Ablations.Runner.Data;
using Ablations.Runner.Data.World;
using Ablations.Runner.Modeling;
using TorchSharp;

namespace Ablations.Runner.Stages;

/// <summary>Builds fresh models sized for a world; an unknown architecture name is a configuration error.</summary>
internal static class Models
{
    public static ModelSpec Spec(string arch, WorldManifest world, ITextTokenizer tok)
    {
        if (!Architecture.Names.Contains(arch))
            StageSupport.Invalid($"unknown architecture '{arch}'; known: {string.Join(", ", Architecture.Names)}");
        return new ModelSpec(arch, world.ImageSize, tok.VocabSize, Batches.ContextLength, tok.Eot);
    }

    public static ClipModel NewClip(string arch, WorldManifest world, ITextTokenizer tok, torch.Device device)
    {
        var model = new ClipModel(Spec(arch, world, tok));
        model.to(device);
        return model;
    }

    public static CaptionModel NewCaptioner(string arch, WorldManifest world, ITextTokenizer tok, torch.Device device)
    {
        var model = new CaptionModel(Spec(arch, world, tok));
        model.to(device);
        return model;
    }
}
