using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Stemma.Storage.Sqlite;

/// <summary>Lossless conversions between Stemma values and what SQLite stores (signed 64-bit integers, blobs).</summary>
internal static class SqliteEncoding
{
    /// <summary>SQLite integers are signed: reinterpret the bits so hashes with the top bit set survive.</summary>
    public static long ToStored(ulong value) => unchecked((long)value);

    public static ulong FromStored(long value) => unchecked((ulong)value);

    /// <summary>
    /// The double a posting's weight is stored as: the float's shortest decimal text read as a double, which is what
    /// SQLite made of that text when earlier builds bound it (a test holds the two equal). Lies strictly between the
    /// float's neighbours, which is how a delete finds the posting again.
    /// </summary>
    public static double StoredWeight(float weight)
    {
        Span<char> text = stackalloc char[32];
        if (!weight.TryFormat(text, out var written, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A posting's weight did not fit its text buffer.");
        }

        return double.Parse(text[..written], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The values' blob for binding (little-endian): on a little-endian machine the array's own bytes, no copy (the add step
    /// bound a new array for every document's signature, band keys and terms).
    /// </summary>
    public static ReadOnlySpan<byte> AsBlob(uint[] values) => BitConverter.IsLittleEndian ? MemoryMarshal.AsBytes(values.AsSpan()) : ToBlob(values);

    /// <inheritdoc cref="AsBlob(uint[])"/>
    public static ReadOnlySpan<byte> AsBlob(ulong[] values) => BitConverter.IsLittleEndian ? MemoryMarshal.AsBytes(values.AsSpan()) : ToBlob(values);

    public static byte[] ToBlob(uint[] values)
    {
        var bytes = new byte[values.Length * sizeof(uint)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * sizeof(uint)), values[i]);
        }

        return bytes;
    }

    public static byte[] ToBlob(ulong[] values)
    {
        var bytes = new byte[values.Length * sizeof(ulong)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * sizeof(ulong)), values[i]);
        }

        return bytes;
    }

    public static uint[] ToUInt32Array(byte[] blob)
    {
        if (BitConverter.IsLittleEndian)
        {
            return MemoryMarshal.Cast<byte, uint>(blob).ToArray();
        }

        var values = new uint[blob.Length / sizeof(uint)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(i * sizeof(uint)));
        }

        return values;
    }

    public static ulong[] ToUInt64Array(ReadOnlySpan<byte> blob)
    {
        if (BitConverter.IsLittleEndian)
        {
            return MemoryMarshal.Cast<byte, ulong>(blob).ToArray();
        }

        var values = new ulong[blob.Length / sizeof(ulong)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadUInt64LittleEndian(blob[(i * sizeof(ulong))..]);
        }

        return values;
    }

    public static DateTimeOffset FromStoredDate(long utcTicks, long offsetMinutes) =>
        new DateTimeOffset(utcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offsetMinutes));
}
