namespace Stemma.Ingest.Formats;

/// <summary>The file being read: its path (for messages), the id its articles get, and the reader limits.</summary>
internal sealed record SourceContext(string Path, string Id, ReaderOptions Options)
{
    public ReadOutcome Error(string reason, int? line = null) => new(Path, null, reason, line);

    public ReadOutcome Success(Article article, string? warning = null) => new(Path, article) { Warning = warning };
}

/// <summary>Thrown when an input is larger than the configured cap; reported as an outcome, never out of the reader.</summary>
internal sealed class InputTooLargeException(long capBytes)
    : IOException($"larger than the {FormatSize(capBytes)} cap; skipped")
{
    public long CapBytes { get; } = capBytes;

    public static string FormatSize(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024.0):0.#} MB" : $"{bytes / 1024.0:0.#} kB";
}

internal static class StreamLimits
{
    /// <summary>Reads a whole stream into memory, refusing to go past the cap.</summary>
    public static byte[] ReadBounded(Stream stream, long capBytes)
    {
        using var memory = new MemoryStream();
        var buffer = new byte[81920];
        while (true)
        {
            var read = stream.Read(buffer, 0, buffer.Length);
            if (read == 0)
            {
                return memory.ToArray();
            }

            if (memory.Length + read > capBytes)
            {
                throw new InputTooLargeException(capBytes);
            }

            memory.Write(buffer, 0, read);
        }
    }

    public static string? DecodingWarning(DecodedText decoded) =>
        decoded.Source == EncodingSource.Windows1252Fallback ? "not valid UTF-8; decoded as Windows-1252" : null;
}
