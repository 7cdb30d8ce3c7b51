using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Stemma.Ingest;

/// <summary>
/// JSON Lines output: one compact object per item and the writer's line end, written as UTF-8 by one
/// <see cref="Utf8JsonWriter"/> into a reused buffer. A UTF-8 <see cref="StreamWriter"/> (standard output) gets the bytes
/// on its stream in blocks; each object used to be written to a fresh memory stream, copied out, decoded to a string and
/// encoded again by the text writer, with a flush per line. Any other writer gets the same text.
/// </summary>
public static class JsonLines
{
    /// <summary>Bytes gathered before they are written out.</summary>
    private const int BlockBytes = 64 * 1024;

    public static void Write<T>(TextWriter output, IEnumerable<T> items, Action<Utf8JsonWriter, T> write, JavaScriptEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(write);
        var stream = output is StreamWriter { Encoding: UTF8Encoding encoding } writer && encoding.Preamble.Length == 0 ? writer.BaseStream : null;
        var lineEnd = Encoding.UTF8.GetBytes(output.NewLine);
        var buffer = new ArrayBufferWriter<byte>(BlockBytes + (BlockBytes / 2));
        using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = encoder });
        try
        {
            foreach (var item in items)
            {
                write(json, item);
                json.Flush();
                json.Reset();
                buffer.Write(lineEnd);
                if (buffer.WrittenCount >= BlockBytes)
                {
                    Drain(output, stream, buffer);
                }
            }
        }
        finally
        {
            // The lines before a failure are written, as they were when each line went out on its own.
            Drain(output, stream, buffer);
        }
    }

    private static void Drain(TextWriter output, Stream? stream, ArrayBufferWriter<byte> buffer)
    {
        if (buffer.WrittenCount == 0)
        {
            return;
        }

        if (stream is not null)
        {
            // Whatever the text writer still holds goes first.
            output.Flush();
            stream.Write(buffer.WrittenSpan);
            stream.Flush();
        }
        else
        {
            output.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }

        buffer.ResetWrittenCount();
    }
}
