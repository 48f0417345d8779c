using Ablations.Runner.Data;
using Ablations.Runner.Data.World;

namespace Ablations.Runner.Evaluation;

/// <summary>
/// Synthetic captions scored against ground truth: attribute precision (colour/shape words that are right) and
/// recall (ground-truth colours/shapes mentioned), distinct-1/2 over all captions, and mean pairwise Jaccard
/// similarity of word sets between captions of the same image (lower = more diverse).
/// </summary>
internal static class CaptionQuality
{
    private static readonly HashSet<string> AttributeWords = [.. WorldAttributes.Colours, .. WorldAttributes.Shapes];

    public static IReadOnlyDictionary<string, double> Score(IReadOnlyList<string[]> captions, IReadOnlyList<Scene> truth)
    {
        double tp = 0, mentioned = 0, relevant = 0, pairSim = 0;
        var pairs = 0;
        var unigrams = new HashSet<string>();
        var bigrams = new HashSet<string>();
        long uniTotal = 0, biTotal = 0;
        for (var i = 0; i < captions.Count; i++)
        {
            var gt = truth[i].Objects.SelectMany(o => new[] { o.ColourName, o.ShapeName }).ToHashSet();
            var sets = new List<HashSet<string>>();
            foreach (var c in captions[i])
            {
                var words = WordTokenizer.Split(c).ToArray();
                var attrs = words.Where(AttributeWords.Contains).ToHashSet();
                mentioned += attrs.Count;
                tp += attrs.Count(gt.Contains);
                relevant += gt.Count;
                sets.Add(words.ToHashSet());
                foreach (var w in words) unigrams.Add(w);
                for (var k = 0; k + 1 < words.Length; k++) bigrams.Add(words[k] + " " + words[k + 1]);
                uniTotal += words.Length;
                biTotal += Math.Max(0, words.Length - 1);
            }
            for (var a = 0; a < sets.Count; a++)
            for (var b = a + 1; b < sets.Count; b++)
            {
                var union = sets[a].Union(sets[b]).Count();
                pairSim += union == 0 ? 1 : sets[a].Intersect(sets[b]).Count() / (double)union;
                pairs++;
            }
        }
        var recallHits = 0.0;
        for (var i = 0; i < captions.Count; i++)
        {
            var gt = truth[i].Objects.SelectMany(o => new[] { o.ColourName, o.ShapeName }).ToHashSet();
            foreach (var c in captions[i]) recallHits += gt.Count(g => WordTokenizer.Split(c).Contains(g));
        }
        return new Dictionary<string, double>
        {
            ["attr_precision"] = mentioned == 0 ? 0 : tp / mentioned,
            ["attr_recall"] = relevant == 0 ? 0 : recallHits / relevant,
            ["distinct_1"] = uniTotal == 0 ? 0 : unigrams.Count / (double)uniTotal,
            ["distinct_2"] = biTotal == 0 ? 0 : bigrams.Count / (double)biTotal,
            ["pairwise_similarity"] = pairs == 0 ? 0 : pairSim / pairs,
        };
    }
}
