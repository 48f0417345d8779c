using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Ablations.Runner.Modeling;

/// <summary>Process-wide torch setup: device choice, thread count and reproducible CPU math, decided once per process.</summary>
public static class TorchRuntime
{
    /// <summary>The MKL mode set for this process unless the environment already names one.</summary>
    public const string MklReproducibleMode = "AUTO,STRICT";

    /// <summary>Resolves "cpu", "cuda" or "cuda:N"; "auto" picks CUDA when TorchSharp reports it.</summary>
    public static torch.Device ResolveDevice(string spec)
    {
        if (spec == "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (spec.StartsWith("cuda", StringComparison.Ordinal) && !torch.cuda.is_available())
            throw new InvalidOperationException($"device '{spec}' requested but TorchSharp reports no CUDA device; use --devices cpu");
        return new torch.Device(spec);
    }

    /// <summary>
    /// Why this node cannot run on <paramref name="devices"/> ("cpu", "cuda", "cuda:N"), or null when it can: checked at
    /// runner start, so a node without the GPUs it names refuses to join instead of failing every stage it takes.
    /// </summary>
    public static string? Unusable(IReadOnlyList<string> devices)
    {
        var cuda = devices.Where(d => d.StartsWith("cuda", StringComparison.Ordinal)).ToList();
        if (cuda.Count == 0) return null;
        if (!torch.cuda.is_available())
            return $"--devices {string.Join(",", cuda.Select(d => d.Replace("cuda:", "", StringComparison.Ordinal)))}: this node has no usable CUDA device " +
                "(TorchSharp reports none: no GPU, no driver, or a CPU-only build — see the README's CUDA build switch); start it with --devices cpu";
        var count = torch.cuda.device_count();
        var missing = cuda.Where(d => d.Split(':') is [_, var n] && int.TryParse(n, out var i) && (i < 0 || i >= count)).ToList();
        return missing.Count == 0 ? null
            : $"--devices: {string.Join(", ", missing)} does not exist on this node, which has {count} CUDA device(s) (0 to {count - 1})";
    }

    private static readonly Lock GlobalGenerator = new();

    /// <summary>
    /// Builds modules under one process-wide lock, after seeding every torch generator when a seed is given
    /// (manual_seed alone seeds only the CPU one). Module initialisers draw from torch's default generators, which are
    /// global: a runner with several workers would otherwise interleave two stages' draws — a seeded build and an
    /// unseeded one (a model about to be loaded from a file is initialised first, too) — and make the seeded one
    /// irreproducible. Training itself draws from our own (seed, step) streams, never from torch's generators.
    /// </summary>
    public static T Build<T>(long? seed, Func<T> build)
    {
        _ = _cpuKernels.Value; // every model is built here, so no convolution runs before the kernels are chosen
        lock (GlobalGenerator)
        {
            if (seed is { } s)
            {
                torch.manual_seed(s);
                if (torch.cuda.is_available()) torch.cuda.manual_seed_all(s);
            }
            return build();
        }
    }

    /// <summary>torch.set_num_threads is process-global: set when torch is first needed (or at once if it already is), never per job.</summary>
    private static void SetThreads(int threads)
    {
        if (threads > 0) torch.set_num_threads(threads);
    }

    private static volatile int _requestedThreads;
    private static readonly Lazy<bool> _initialised = new(Initialise);

    /// <summary>
    /// Asks for <paramref name="threads"/> torch threads (0: libtorch's default, every core) without loading libtorch:
    /// a runner whose stages are all external programs never pays for it (it took 1.8–3.4 s before its first stage).
    /// The first stage that runs on torch calls <see cref="EnsureInitialised"/>, which applies it.
    /// </summary>
    public static void RequestThreads(int threads)
    {
        _requestedThreads = threads;
        if (_initialised.IsValueCreated) SetThreads(threads); // a second runner host in one process (tests, benchmarks)
    }

    /// <summary>Loads libtorch and applies the requested threads, once per process (thread-safe); before every torch stage.</summary>
    public static void EnsureInitialised() => _ = _initialised.Value;

    private static bool Initialise()
    {
        SetThreads(_requestedThreads);
        _ = _cpuKernels.Value;
        return true;
    }

    private static readonly Lazy<bool> _cpuKernels = new(UseAtenConvolutions);

    /// <summary>
    /// Turns off libtorch's oneDNN (mkldnn) and NNPACK back ends for the whole process, so every CPU convolution runs
    /// ATen's own kernel (im2col + GEMM). libtorch 2.10's oneDNN 3.7.1 convolutions compute wrong numbers on the machine
    /// this project runs on (an AVX-512 AMD EPYC, family 26, in a virtual machine; why there, not known): whenever a
    /// channel count it reads is not a multiple of its block (16 with AVX-512, 8 with AVX2) — the input of a forward pass
    /// (cnn-small's 24 → 48 convolution), the output gradient of a backward pass — it pads the channels and the padding is
    /// not zeros but whatever the allocator left there. The result depends on the heap's history: one stage alone in a
    /// process got the same wrong numbers every time (so runs looked reproducible), but with two stages training side by
    /// side the garbage changed from run to run and was sometimes NaN ("loss is NaN at step 1" in the captioner, captions
    /// sampled from a broken forward pass). Measured here: a 32 × 24 × 4 × 4 float32 convolution was off by 2.3 (or NaN)
    /// from the float64 one with oneDNN, by 2e-6 without. ATen's kernel makes the convolution layers about twice as slow to
    /// train here (cnn-small, batch 128 at 32 px: 29 → 58 ms a step). NNPACK, which would take over forward-only
    /// convolutions, is turned off too, so training and inference use one kernel. TorchSharp 0.107 has no setting for
    /// either, so at::Context is called directly (Itanium C++ names: Linux and macOS builds of libtorch).
    /// </summary>
    private static bool UseAtenConvolutions()
    {
        torch.InitializeDeviceType(DeviceType.CPU); // loads libtorch the way TorchSharp does, before the calls below bind to it
        var context = AtenContext.Global();
        AtenContext.SetMkldnn(context, false);
        AtenContext.SetNnpack(context, false);
        if (AtenContext.Mkldnn(context) || AtenContext.Nnpack(context))
            throw new InvalidOperationException("libtorch kept its oneDNN or NNPACK convolutions enabled");
        return true;
    }

    /// <summary>The few <c>at::Context</c> members libtorch_cpu exports that TorchSharp does not wrap (member functions: the context is the first argument).</summary>
    private static class AtenContext
    {
        private const string Lib = "libtorch_cpu";

        [DllImport(Lib, EntryPoint = "_ZN2at13globalContextEv")]
        public static extern IntPtr Global();

        [DllImport(Lib, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
        public static extern void SetMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

        [DllImport(Lib, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
        [return: MarshalAs(UnmanagedType.U1)]
        public static extern bool Mkldnn(IntPtr context);

        [DllImport(Lib, EntryPoint = "_ZN2at7Context20setUserEnabledNNPACKEb")]
        public static extern void SetNnpack(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

        [DllImport(Lib, EntryPoint = "_ZNK2at7Context17userEnabledNNPACKEv")]
        [return: MarshalAs(UnmanagedType.U1)]
        public static extern bool Nnpack(IntPtr context);
    }

    /// <summary>
    /// libtorch's CPU build carries Intel MKL, whose GEMM picks code paths by the memory alignment of its
    /// arguments unless conditional numerical reproducibility is on, so two identical training runs in one
    /// process differed in the last bits after two steps (measured on a toy model: 1.5e-8), and a resumed run
    /// could never equal an uninterrupted one. MKL_CBWR=AUTO,STRICT keeps the fastest code path for this CPU and
    /// makes it independent of alignment: bit-identical runs on one machine (across machines with other vector
    /// units the last bits may still differ). MKL reads the variable when it first runs, so it is set natively
    /// (.NET's Environment.SetEnvironmentVariable does not reach getenv on Unix) as soon as this assembly loads.
    /// A value already in the environment wins.
    /// </summary>
#pragma warning disable CA2255 // a library initializer on purpose: it must run before any torch call of any host (ablate, tests, benchmarks)
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RequireReproducibleMath()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        try
        {
            if (Environment.GetEnvironmentVariable("MKL_CBWR") is null) SetEnv("MKL_CBWR", MklReproducibleMode, 0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // no libc to call: MKL then runs in its default mode (fast, not bit-reproducible)
        }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
