using Stemma.Ingest.Formats;

namespace Stemma.Ingest.Tests.Formats;

/// <summary>
/// Appending lines into one array (how JSONL chunks are read) and <see cref="ByteStreamReader.ReadLine"/> (WARC headers) both
/// give the lines of the bytes split at LF with one CR before it dropped, a line over the cap (its CR counted) as an empty
/// line marked too long, and no line after a final LF: over lines that cross the reader's 64 KB buffer and outgrow the array
/// they are appended to.
/// </summary>
public sealed class ByteStreamReaderTests
{
    [Theory]
    [InlineData(1, 2_000)]
    [InlineData(2, 70_000)]
    [InlineData(3, 200_000)]
    public void Appended_lines_are_the_lines_read_one_by_one(int seed, int maxBytes)
    {
        var random = new Random(seed);
        for (var trial = 0; trial < 40; trial++)
        {
            var content = RandomLines(random);
            var expected = SplitLines(content, maxBytes);
            var byLine = new List<(byte[] Line, bool TooLong)>();
            var lineReader = new ByteStreamReader(new MemoryStream(content));
            while (lineReader.ReadLine(maxBytes, out var tooLong) is { } line)
            {
                byLine.Add((line, tooLong));
            }

            var actual = new List<(byte[] Line, bool TooLong)>();
            var appended = new ByteStreamReader(new MemoryStream(content));
            var into = new byte[16];
            var used = 0;
            int length;
            while ((length = appended.AppendLine(ref into, ref used, maxBytes, out var tooLong)) >= 0)
            {
                actual.Add((tooLong ? [] : into.AsSpan(used - length, length).ToArray(), tooLong));
                if (random.Next(4) == 0)
                {
                    // A new chunk starts with an empty array of its own.
                    (into, used) = (new byte[random.Next(1, 300)], 0);
                }
            }

            foreach (var read in new[] { byLine, actual })
            {
                Assert.Equal(expected.Count, read.Count);
                for (var i = 0; i < expected.Count; i++)
                {
                    Assert.Equal(expected[i].TooLong, read[i].TooLong);
                    Assert.True(expected[i].Line.AsSpan().SequenceEqual(read[i].Line), $"line {i + 1} of trial {trial}");
                }
            }
        }
    }

    /// <summary>The lines as the rule above states them, from the whole content at once.</summary>
    private static List<(byte[] Line, bool TooLong)> SplitLines(byte[] content, int maxBytes)
    {
        var lines = new List<(byte[] Line, bool TooLong)>();
        for (var at = 0; at < content.Length;)
        {
            var newline = Array.IndexOf(content, (byte)'\n', at);
            var end = newline < 0 ? content.Length : newline;
            var raw = content[at..end];
            at = newline < 0 ? content.Length : newline + 1;
            var tooLong = raw.Length > maxBytes;
            lines.Add((tooLong ? [] : raw.Length > 0 && raw[^1] == '\r' ? raw[..^1] : raw, tooLong));
        }

        return lines;
    }

    /// <summary>Lines of 0 to 150,000 bytes ending in LF or CRLF (a CR alone stays in the line), the last one maybe unterminated.</summary>
    private static byte[] RandomLines(Random random)
    {
        var content = new MemoryStream();
        for (var line = random.Next(0, 30); line > 0; line--)
        {
            var length = random.Next(3) switch { 0 => random.Next(0, 5), 1 => random.Next(0, 3_000), _ => random.Next(0, 150_000) };
            for (var i = 0; i < length; i++)
            {
                content.WriteByte(random.Next(50) == 0 ? (byte)'\r' : (byte)random.Next(32, 127));
            }

            if (line > 1 || random.Next(2) == 0)
            {
                content.Write(random.Next(2) == 0 ? "\n"u8 : "\r\n"u8);
            }
        }

        return content.ToArray();
    }
}
