using Ablations.Core.Stages;

namespace Ablations.Runner.Data.DataComp;

/// <summary>
/// The order a DataCompDR student reads samples in, as a pure function of (seed, epoch): each pass over the data takes
/// the shards in a permutation of its own and mixes samples through a shuffle buffer (webdataset's shuffle: a buffer of
/// <see cref="DrStudentOptions.ShuffleBuffer"/> samples, one drawn at random as each new one arrives); an epoch is
/// <see cref="SamplesPerEpoch"/> samples, taken from as many passes as it needs. Because the order depends on nothing
/// else, a training resumed at step s re-reads its epoch up to s (cheap: no image is decoded for a skipped sample) and
/// sees exactly the batches an uninterrupted run would have.
/// </summary>
internal sealed class DrStream(DrSource source, long seed, int shuffleBuffer, long samplesPerEpoch)
{
    public DrShardReader Reader { get; } = new(source);

    public long SamplesPerEpoch => samplesPerEpoch;

    /// <summary>Every readable sample once, in shard order: to count an epoch when the spec does not say how many.</summary>
    public long Count()
    {
        long n = 0;
        for (var s = 0; s < source.Shards.Count; s++)
            foreach (var _ in Reader.Samples(s)) n++;
        return n;
    }

    /// <summary>The samples of <paramref name="epoch"/> from position <paramref name="skip"/> on.</summary>
    public IEnumerable<DrSample> Epoch(long epoch, long skip = 0)
    {
        long emitted = 0;
        for (var pass = 0L; ; pass++)
        {
            var any = false;
            foreach (var sample in Pass(epoch, pass))
            {
                any = true;
                if (emitted >= samplesPerEpoch) yield break;
                if (emitted++ >= skip) yield return sample;
            }
            if (!any) throw new InvalidDataException($"no readable sample in {source.Shards.Count} shard(s): {Describe(Reader.Skipped)}");
        }
    }

    private IEnumerable<DrSample> Pass(long epoch, long pass)
    {
        var order = Rng.For(seed, 0xd5a2d, epoch, pass).Permutation(source.Shards.Count);
        var rng = Rng.For(seed, 0x5b0ff, epoch, pass);
        var buffer = new List<DrSample>(Math.Min(shuffleBuffer, 1 << 16));
        foreach (var shard in order)
            foreach (var sample in Reader.Samples(shard))
            {
                if (buffer.Count < shuffleBuffer)
                {
                    buffer.Add(sample);
                    continue;
                }
                var k = rng.Next(buffer.Count);
                yield return buffer[k];
                buffer[k] = sample;
            }
        while (buffer.Count > 0)
        {
            var k = rng.Next(buffer.Count);
            yield return buffer[k];
            buffer[k] = buffer[^1];
            buffer.RemoveAt(buffer.Count - 1);
        }
    }

    public static string Describe(IReadOnlyDictionary<string, long> skipped) =>
        skipped.Count == 0 ? "none skipped" : string.Join(", ", skipped.OrderByDescending(p => p.Value).Select(p => $"{p.Value} {p.Key}"));
}
