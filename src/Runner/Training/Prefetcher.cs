namespace Ablations.Runner.Training;

/// <summary>
/// Prepares the host-side inputs of step s + 1 on the thread pool while step s trains. Preparation must be a
/// pure function of the step (tasks derive every random choice from (seed, step)), so a prefetched value is
/// exactly what a synchronous call would give: results and resumes do not depend on the overlap. Only plain
/// arrays are made ahead; tensors are created on the training thread, inside its step's dispose scope.
/// </summary>
internal sealed class Prefetcher<T>(Func<long, T> prepare) where T : class
{
    private Task<T>? _next;
    private long _nextStep = -1;

    /// <summary>The inputs of <paramref name="step"/>, then starts preparing <paramref name="step"/> + 1.</summary>
    public T Get(long step)
    {
        T value;
        if (_next is not null && _nextStep == step) value = _next.GetAwaiter().GetResult();
        else
        {
            Abandon();
            value = prepare(step);
        }
        var following = step + 1;
        _nextStep = following;
        _next = Task.Run(() => prepare(following));
        return value;
    }

    /// <summary>Drops a prefetch that will not be used (a jump in steps), observing its outcome so a failure there is not lost as unobserved.</summary>
    private void Abandon()
    {
        var stale = _next;
        _next = null;
        stale?.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
    }
}
