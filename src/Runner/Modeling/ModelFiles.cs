using TorchSharp;
using System.Text.Json;
using static TorchSharp.torch;

namespace Ablations.Runner.Modeling;

/// <summary>model.json (what to rebuild + facts about the trained model) beside model.bin (TorchSharp weights).</summary>
internal sealed record ModelCard(string Kind, ModelSpec Spec, double LogitScale, string Tokenizer);

internal static class ModelFiles
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static void SaveClip(string dir, ClipModel model, string tokenizer)
    {
        Directory.CreateDirectory(dir);
        double scale;
        using (no_grad()) scale = model.Scale().item<float>();
        model.save(Path.Combine(dir, "model.bin"));
        File.WriteAllText(Path.Combine(dir, "model.json"), JsonSerializer.Serialize(new ModelCard("clip", model.Spec, scale, tokenizer), Json));
    }

    public static ModelCard ReadCard(string dir) =>
        JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(Path.Combine(dir, "model.json")))
        ?? throw new InvalidDataException($"{dir}/model.json is empty");

    public static ClipModel LoadClip(string dir, Device device)
    {
        var card = ReadCard(dir);
        if (card.Kind != "clip") throw new InvalidDataException($"{dir} holds a '{card.Kind}' model, not a CLIP model");
        var model = TorchRuntime.Build(null, () => new ClipModel(card.Spec)); // its initialiser draws from the generators a seeded build uses
        model.load(Path.Combine(dir, "model.bin"));
        model.to(device);
        model.eval();
        return model;
    }

    public static void SaveCaptioner(string dir, CaptionModel model, string tokenizer)
    {
        Directory.CreateDirectory(dir);
        model.save(Path.Combine(dir, "model.bin"));
        File.WriteAllText(Path.Combine(dir, "model.json"), JsonSerializer.Serialize(new ModelCard("captioner", model.Spec, 0, tokenizer), Json));
    }

    public static CaptionModel LoadCaptioner(string dir, Device device)
    {
        var card = ReadCard(dir);
        if (card.Kind != "captioner") throw new InvalidDataException($"{dir} holds a '{card.Kind}' model, not a captioner");
        var model = TorchRuntime.Build(null, () => new CaptionModel(card.Spec));
        model.load(Path.Combine(dir, "model.bin"));
        model.to(device);
        model.eval();
        return model;
    }
}
