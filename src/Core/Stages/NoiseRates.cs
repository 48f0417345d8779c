using System.Text.Json.Nodes;

namespace Ablations.Core.Stages;

/// <summary>How a pool's captions go wrong, as probabilities per sample (the rest are complete and correct).</summary>
public sealed record NoiseRates(
    double Partial,         // only some attributes named ("a red object", "a circle")
    double WrongAttribute,  // one attribute replaced by a wrong one
    double Generic,         // "a picture", "image of something"
    double Unrelated,       // the caption of another random image
    double Spam)            // shopping / click-bait words
{
    public double Total => Partial + WrongAttribute + Generic + Unrelated + Spam;

    internal static NoiseRates Bind(ConfigReader r, NoiseRates d)
    {
        var rates = new NoiseRates(
            r.Double("partial", d.Partial, 0, 1), r.Double("wrong_attribute", d.WrongAttribute, 0, 1),
            r.Double("generic", d.Generic, 0, 1), r.Double("unrelated", d.Unrelated, 0, 1), r.Double("spam", d.Spam, 0, 1));
        if (rates.Total > 1) r.Error($"noise rates sum to {rates.Total:0.###} > 1");
        r.RejectUnknown();
        return rates;
    }

    internal JsonObject ToJson() => new()
    {
        ["partial"] = Partial, ["wrong_attribute"] = WrongAttribute, ["generic"] = Generic,
        ["unrelated"] = Unrelated, ["spam"] = Spam,
    };
}
