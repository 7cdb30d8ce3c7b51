namespace Stemma.Ingest.Formats;

/// <summary>
/// Buffered byte reading for line-oriented formats (WARC headers, JSONL): lines with a length cap,
/// exact-length blocks, peeking, and pushing bytes back so a reader can resynchronize after a bad record.
/// </summary>
internal sealed class ByteStreamReader(Stream stream)
{
    private byte[] buffer = new byte[64 * 1024];
    private int start;
    private int end;
    private bool streamEnded;

    public long Consumed { get; private set; }

    /// <summary>Reads one line without its terminator. Returns null at end of input. A line longer than maxBytes is skipped to its end and reported as TooLong (an empty line).</summary>
    public byte[]? ReadLine(int maxBytes, out bool tooLong)
    {
        // The line as an array of its own: appended to an empty one, which grows to the line's length (its CR left out).
        var line = Array.Empty<byte>();
        var used = 0;
        var length = AppendLine(ref line, ref used, maxBytes, out tooLong);
        return length < 0 ? null : length == line.Length ? line : line[..length];
    }

    /// <summary>
    /// Reads one line without its terminator (LF, or CRLF) and appends it to <paramref name="into"/> at <paramref name="used"/>
    /// (the array is replaced by a larger copy when it is full). Returns the line's length, or -1 at end of input; a line
    /// longer than maxBytes (its CR counted) is skipped to its end and reported as TooLong with length 0.
    /// </summary>
    public int AppendLine(ref byte[] into, ref int used, int maxBytes, out bool tooLong)
    {
        tooLong = false;
        var lineStart = used;
        var any = false;
        while (true)
        {
            if (start == end && !Fill())
            {
                if (!any)
                {
                    return -1;
                }

                break;
            }

            any = true;
            var span = buffer.AsSpan(start, end - start);
            var newline = span.IndexOf((byte)'\n');
            var take = newline < 0 ? span.Length : newline;
            if (!tooLong)
            {
                if (used - lineStart + take > maxBytes)
                {
                    tooLong = true;
                    used = lineStart;
                }
                else
                {
                    if (into.Length - used < take)
                    {
                        var larger = new byte[Math.Max(into.Length * 2, used + take)];
                        into.AsSpan(0, used).CopyTo(larger);
                        into = larger;
                    }

                    span[..take].CopyTo(into.AsSpan(used));
                    used += take;
                }
            }

            Advance(newline < 0 ? take : take + 1);
            if (newline >= 0)
            {
                break;
            }
        }

        if (tooLong)
        {
            return 0;
        }

        if (used > lineStart && into[used - 1] == '\r')
        {
            used--;
        }

        return used - lineStart;
    }

    /// <summary>Reads up to count bytes (fewer only at end of input).</summary>
    public byte[] ReadBlock(int count)
    {
        var result = new byte[count];
        var filled = 0;
        while (filled < count)
        {
            if (start == end && !Fill())
            {
                break;
            }

            var take = Math.Min(count - filled, end - start);
            Array.Copy(buffer, start, result, filled, take);
            filled += take;
            Advance(take);
        }

        return filled == count ? result : result[..filled];
    }

    /// <summary>Skips up to count bytes; returns how many were skipped.</summary>
    public long Skip(long count)
    {
        long skipped = 0;
        while (skipped < count)
        {
            if (start == end && !Fill())
            {
                break;
            }

            var take = (int)Math.Min(count - skipped, end - start);
            Advance(take);
            skipped += take;
        }

        return skipped;
    }

    /// <summary>Looks at the next bytes without consuming them.</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        while (end - start < count && !streamEnded)
        {
            Compact(count);
            if (!Fill())
            {
                break;
            }
        }

        return buffer.AsSpan(start, Math.Min(count, end - start));
    }

    /// <summary>Puts bytes back in front of the unread input.</summary>
    public void Unread(ReadOnlySpan<byte> bytes)
    {
        var pending = end - start;
        var merged = new byte[Math.Max(buffer.Length, bytes.Length + pending)];
        bytes.CopyTo(merged);
        buffer.AsSpan(start, pending).CopyTo(merged.AsSpan(bytes.Length));
        buffer = merged;
        start = 0;
        end = bytes.Length + pending;
        Consumed -= bytes.Length;
    }

    private void Advance(int count)
    {
        start += count;
        Consumed += count;
    }

    private void Compact(int wanted)
    {
        var pending = end - start;
        if (buffer.Length < wanted)
        {
            var larger = new byte[wanted];
            buffer.AsSpan(start, pending).CopyTo(larger);
            buffer = larger;
        }
        else if (start > 0)
        {
            buffer.AsSpan(start, pending).CopyTo(buffer);
        }

        start = 0;
        end = pending;
    }

    private bool Fill()
    {
        if (streamEnded)
        {
            return false;
        }

        if (start == end)
        {
            start = end = 0;
        }
        else if (end == buffer.Length)
        {
            Compact(buffer.Length);
        }

        var read = stream.Read(buffer, end, buffer.Length - end);
        if (read == 0)
        {
            streamEnded = true;
            return false;
        }

        end += read;
        return true;
    }
}
