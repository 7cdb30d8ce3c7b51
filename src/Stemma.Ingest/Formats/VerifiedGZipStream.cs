using System.IO.Compression;

namespace Stemma.Ingest.Formats;

/// <summary>
/// Gzip decompression that notices truncation. GZipStream can end quietly when the input stops short,
/// so at the end we check the last member's trailer: its size field must fit in what was decompressed
/// and, for a single-member file, size and CRC-32 must match exactly. A truncated file fails this check
/// with near certainty (its last eight bytes are compressed data, not a trailer).
/// </summary>
internal sealed class VerifiedGZipStream : Stream
{
    private readonly Stream raw;
    private readonly GZipStream gzip;
    private readonly uint trailerCrc;
    private readonly uint trailerSize;
    private readonly bool hasTrailer;
    private uint crc = 0xFFFFFFFF;
    private long total;
    private bool verified;

    /// <param name="raw">The compressed bytes; checking needs a seekable stream (files and memory are).</param>
    /// <param name="verify">False when only the first bytes are wanted (format sniffing).</param>
    public VerifiedGZipStream(Stream raw, bool verify = true)
    {
        this.raw = raw;
        verified = !verify;
        if (verify && raw.CanSeek && raw.Length >= 18)
        {
            Span<byte> trailer = stackalloc byte[8];
            raw.Seek(-8, SeekOrigin.End);
            raw.ReadExactly(trailer);
            raw.Seek(0, SeekOrigin.Begin);
            trailerCrc = BitConverter.ToUInt32(trailer[..4]);
            trailerSize = BitConverter.ToUInt32(trailer[4..]);
            hasTrailer = true;
        }

        gzip = new GZipStream(raw, CompressionMode.Decompress);
    }

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
        var read = gzip.Read(buffer);
        if (read > 0)
        {
            crc = Crc32.Update(crc, buffer[..read]);
            total += read;
        }
        else if (buffer.Length > 0 && !verified)
        {
            verified = true;
            Verify();
        }

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
            gzip.Dispose();
            raw.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Verify()
    {
        if (!raw.CanSeek)
        {
            return;
        }

        if (!hasTrailer)
        {
            throw new InvalidDataException("file too short to be complete gzip data");
        }

        var sizeModulo = (uint)(total & 0xFFFFFFFF);
        var singleMemberMatches = trailerSize == sizeModulo && trailerCrc == (crc ^ 0xFFFFFFFF);
        var fitsAsLastMember = total < 0xFFFFFFFFL && trailerSize < sizeModulo;
        if (!singleMemberMatches && !fitsAsLastMember)
        {
            throw new InvalidDataException("gzip data is truncated or corrupt (the trailer does not match the data)");
        }
    }

    /// <summary>CRC-32 (IEEE), as stored in gzip trailers.</summary>
    private static class Crc32
    {
        private static readonly uint[] Table = BuildTable();

        public static uint Update(uint crc, ReadOnlySpan<byte> data)
        {
            foreach (var b in data)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            return crc;
        }

        private static uint[] BuildTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                var c = n;
                for (var k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
