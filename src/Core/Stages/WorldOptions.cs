using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>The procedural image–text world: sizes of every pool and how noisy their captions are.</summary>
public sealed record WorldOptions(
    long Seed,               // everything in the world is a pure function of this seed and the options
    int ImageSize,           // square RGB images, pixels per side
    int WebPool,             // samples in the noisy web pool (alt-text analogue)
    int FilteredPool,        // samples in the cleaner filtered pool (DFN analogue)
    int HighQuality,         // samples in the complete-caption set (MSCOCO analogue)
    int EvalPerTask,         // test images per zero-shot task
    int Retrieval,           // image–caption pairs in the retrieval split
    double MultiObjectRate,  // probability an image holds more than one object (up to 3)
    NoiseRates WebNoise,
    NoiseRates FilteredNoise,
    int ShardRows,           // rows per Parquet shard file
    string Tokenizer)        // text tokenizer of every model trained on this world: word (closed vocabulary) or gpt2 (BPE)
{
    public static readonly string[] Tokenizers = ["word", "gpt2"];

    public static readonly NoiseRates DefaultWebNoise = new(0.25, 0.15, 0.10, 0.10, 0.05);
    public static readonly NoiseRates DefaultFilteredNoise = new(0.10, 0.03, 0.02, 0.02, 0.0);

    public static WorldOptions Bind(JsonObject? config) => OptionsBinding.BindOrThrow(config, h => Bind(h.Reader));

    internal static WorldOptions Bind(ConfigReader r) => new(
        r.Long("seed", 7),
        r.Int("image_size", 32, 16, 256),
        r.Int("web_pool", 20_000, 16, 100_000_000),
        r.Int("filtered_pool", 10_000, 16, 100_000_000),
        r.Int("hq_pool", 2_000, 16, 100_000_000),
        r.Int("eval_per_task", 500, 8, 1_000_000),
        r.Int("retrieval", 500, 8, 1_000_000),
        r.Double("multi_object_rate", 0.3, 0, 1),
        NoiseRates.Bind(r.Child("web_noise"), DefaultWebNoise),
        NoiseRates.Bind(r.Child("filtered_noise"), DefaultFilteredNoise),
        r.Int("shard_rows", 20_000, 100, 10_000_000),
        r.String("tokenizer", "word", Tokenizers));

    /// <summary>The normalised config that enters the stage hash; the default tokenizer is left out so worlds made before the option keep their hashes.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["seed"] = Seed, ["image_size"] = ImageSize, ["web_pool"] = WebPool, ["filtered_pool"] = FilteredPool,
            ["hq_pool"] = HighQuality, ["eval_per_task"] = EvalPerTask, ["retrieval"] = Retrieval,
            ["multi_object_rate"] = MultiObjectRate, ["web_noise"] = WebNoise.ToJson(),
            ["filtered_noise"] = FilteredNoise.ToJson(), ["shard_rows"] = ShardRows,
        };
        if (Tokenizer != "word") o["tokenizer"] = Tokenizer;
        return o;
    }
}
