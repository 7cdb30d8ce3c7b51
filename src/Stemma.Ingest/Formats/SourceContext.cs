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
        if (stream is MemoryStream held && held.TryGetBuffer(out var content))
        {
            // Content already in memory (a small file read whole) is handed on as it is, not copied through a buffer
            // into a growing stream and out again: read only, as every caller uses it.
            var rest = content[(int)held.Position..];
            if (rest.Count > capBytes)
            {
                throw new InputTooLargeException(capBytes);
            }

            held.Position = held.Length;
            return rest.Offset == 0 && rest.Count == rest.Array!.Length ? rest.Array : rest.ToArray();
        }

        using var memory = new MemoryStream();

        // A pooled buffer: a fresh 80 KB array per small file was most of what reading a file allocated (and zeroed).
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
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
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static string? DecodingWarning(DecodedText decoded) =>
        decoded.Source == EncodingSource.Windows1252Fallback ? $"not valid UTF-8; decoded as Windows-{decoded.Encoding.CodePage}" : null;
}

/// <summary>Decompressed content that stops with <see cref="IngestLimitException"/> past the per-file cap or a shared (per-request) budget.</summary>
internal sealed class DecompressionLimitStream(Stream inner, long maxBytes, DecompressionBudget? budget) : Stream
{
    private long total;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => total;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        total += read;
        if (total > maxBytes)
        {
            throw new IngestLimitException("decompresses to more than one file may hold (gzip bomb?)", nameof(IngestLimits.MaxDecompressedBytesPerFile), maxBytes);
        }

        budget?.Take(read);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
