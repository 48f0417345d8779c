using Ablations.Runner.Data.Augmentation;
using static TorchSharp.torch;

namespace Ablations.Runner.Data;

/// <summary>Turns stored rows into model inputs. Pixel work runs in parallel per image; results do not depend on thread order.</summary>
internal static class Batches
{
    public const int ContextLength = 20;

    /// <summary>[B, 3, S, S] float32 in [0, 1]; <paramref name="augment"/> gives the augmentation of row k (null = none).</summary>
    public static Tensor Images(IReadOnlyList<byte[]> pixels, IReadOnlyList<int> rows, int size, Device device, Func<int, AugmentParams?>? augment = null) =>
        tensor(Pixels(pixels, rows, size, augment), [rows.Count, 3, size, size], device: device);

    /// <summary>The host array behind <see cref="Images"/>: B × 3 × S × S floats, row k's image at k × 3S².</summary>
    public static float[] Pixels(IReadOnlyList<byte[]> pixels, IReadOnlyList<int> rows, int size, Func<int, AugmentParams?>? augment = null)
    {
        var per = 3 * size * size;
        var data = new float[rows.Count * per];
        Parallel.For(0, rows.Count, k =>
        {
            var span = data.AsSpan(k * per, per);
            var a = augment?.Invoke(k);
            if (a is null) Augmenter.ToChw(pixels[rows[k]], size, span);
            else Augmenter.Apply(pixels[rows[k]], size, a, span);
        });
        return data;
    }

    public static Tensor Tokens(ITextTokenizer tok, IReadOnlyList<string> texts, Device device) =>
        tensor(tok.EncodeBatch(texts, ContextLength), [texts.Count, ContextLength], device: device);

    /// <summary>Row order of epoch <paramref name="epoch"/>: a permutation drawn from (seed, epoch).</summary>
    public static int[] EpochOrder(long seed, long epoch, int n) => Rng.For(seed, 0x0e90c, epoch).Permutation(n);

    /// <summary>Rows of step <paramref name="step"/> when every epoch is a fresh permutation and the last partial batch is dropped.</summary>
    public static int[] StepRows(long seed, long step, int n, int batch)
    {
        var perEpoch = Math.Max(1, n / batch);
        var order = EpochOrder(seed, step / perEpoch, n);
        var start = (int)(step % perEpoch) * batch;
        return order.AsSpan(start, Math.Min(batch, n)).ToArray();
    }

    public static long StepsFor(int n, int batch, int epochs) => (long)Math.Max(1, n / batch) * epochs;
}
