using TorchSharp;

namespace Ablations.Runner.Modeling;

/// <summary>Process-wide torch setup: device choice and thread count, decided once per runner process.</summary>
public static class TorchRuntime
{
    /// <summary>Resolves "cpu", "cuda" or "cuda:N"; "auto" picks CUDA when TorchSharp reports it.</summary>
    public static torch.Device ResolveDevice(string spec)
    {
        if (spec == "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (spec.StartsWith("cuda", StringComparison.Ordinal) && !torch.cuda.is_available())
            throw new InvalidOperationException($"device '{spec}' requested but TorchSharp reports no CUDA device; use --devices cpu");
        return new torch.Device(spec);
    }

    /// <summary>torch.set_num_threads is process-global: call once at runner start, never per job.</summary>
    public static void SetThreads(int threads)
    {
        if (threads > 0) torch.set_num_threads(threads);
    }
}
