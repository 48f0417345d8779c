using System.Text;

namespace Ablations.Reports.Export;

/// <summary>
/// Writes a file atomically: the content goes to a temporary file in the same folder, which is then renamed
/// over the target, so a crash leaves either the old file or the new one, never half of one.
/// </summary>
internal static class AtomicFile
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static void WriteText(string path, string text) => Write(path, s =>
    {
        var bytes = Utf8.GetBytes(text);
        s.Write(bytes, 0, bytes.Length);
    });

    public static void WriteBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes, 0, bytes.Length));

    public static void Write(string path, Action<Stream> write) =>
        WriteAsync(path, s =>
        {
            write(s);
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();

    public static async Task WriteAsync(string path, Func<Stream, Task> write)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                await write(stream);
                await stream.FlushAsync();
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
