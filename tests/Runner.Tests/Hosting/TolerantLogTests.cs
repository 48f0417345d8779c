using Ablations.Runner.Hosting;

namespace Ablations.Runner.Tests.Hosting;

public sealed class TolerantLogTests
{
    /// <summary>A heartbeat callback still running when its stage has ended writes to the stage's closed log: the line is dropped, nothing throws.</summary>
    [Fact]
    public void WriteLine_AfterDispose_DropsTheLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tolerant-log-{Guid.NewGuid():N}.log");
        try
        {
            var log = new TolerantLog(path);
            log.WriteLine("before");
            log.Dispose();
            log.WriteLine("heartbeat failed: after");
            log.Write("x");
            Assert.Equal(["before"], File.ReadAllLines(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
