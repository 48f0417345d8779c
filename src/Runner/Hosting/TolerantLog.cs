namespace Ablations.Runner.Hosting;

/// <summary>
/// A stage's log file that never throws: a full disk must not turn a log line written in an error handler into a
/// second, unrelated exception. Lines it could not write are dropped; the runner reports the full disk itself. So are
/// lines written after it was disposed: a stage's heartbeat timer callback already running when the stage ends (Timer's
/// Dispose does not wait for it) logs its failure into the closed file; that ObjectDisposedException escaped from a
/// thread-pool callback and killed the runner (exit 134) in a smoke run under load.
/// </summary>
internal sealed class TolerantLog(string path) : TextWriter
{
    private readonly StreamWriter? _inner = Open(path);

    public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

    private static StreamWriter? Open(string path)
    {
        try
        {
            return new StreamWriter(path, append: true) { AutoFlush = true };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public override void Write(char value) => Try(w => w.Write(value));

    public override void Write(string? value) => Try(w => w.Write(value));

    public override void WriteLine(string? value) => Try(w => w.WriteLine(value));

    private void Try(Action<StreamWriter> write)
    {
        if (_inner is null) return;
        lock (_inner)
        {
            try { write(_inner); }
            catch (Exception e) when (e is IOException or ObjectDisposedException) { }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try { _inner?.Dispose(); }
            catch (IOException) { }
        }
        base.Dispose(disposing);
    }
}
