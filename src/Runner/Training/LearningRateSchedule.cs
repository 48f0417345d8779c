namespace Ablations.Runner.Training;

/// <summary>Linear warmup from 0 to the peak over the first steps, then cosine decay to 0 at the last step.</summary>
internal static class LearningRateSchedule
{
    public static double At(long step, long totalSteps, long warmupSteps, double peak)
    {
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        var progress = (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps);
        return 0.5 * peak * (1 + Math.Cos(Math.PI * Math.Min(1, progress)));
    }
}
