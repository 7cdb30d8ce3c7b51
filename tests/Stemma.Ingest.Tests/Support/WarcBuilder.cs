using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Stemma.Ingest.Tests.Support;

/// <summary>Writes WARC 1.1 files for tests and samples: responses, other records, optionally one gzip member per record.</summary>
public sealed class WarcBuilder
{
    private readonly List<byte[]> records = [];

    public WarcBuilder Response(string targetUri, int status, string contentType, byte[] body, string? extraHttpHeaders = null)
    {
        var reason = status == 200 ? "OK" : status == 404 ? "Not Found" : "Status";
        var http = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n{extraHttpHeaders}\r\n");
        return Record("response", targetUri, "application/http; msgtype=response", [.. http, .. body]);
    }

    public WarcBuilder Response(string targetUri, int status, string html) =>
        Response(targetUri, status, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html));

    public WarcBuilder Record(string type, string? targetUri, string contentType, byte[] block, long? declaredLength = null)
    {
        var header = new StringBuilder()
            .Append("WARC/1.1\r\n")
            .Append(CultureInfo.InvariantCulture, $"WARC-Type: {type}\r\n")
            .Append(CultureInfo.InvariantCulture, $"WARC-Record-ID: <urn:uuid:{DeterministicGuid(records.Count)}>\r\n")
            .Append("WARC-Date: 2026-03-14T09:30:00Z\r\n");
        if (targetUri is not null)
        {
            header.Append(CultureInfo.InvariantCulture, $"WARC-Target-URI: {targetUri}\r\n");
        }

        header.Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {declaredLength ?? block.Length}\r\n\r\n");
        records.Add([.. Encoding.ASCII.GetBytes(header.ToString()), .. block, .. "\r\n\r\n"u8]);
        return this;
    }

    public WarcBuilder WarcInfo() => Record("warcinfo", null, "application/warc-fields", "software: Stemma tests\r\nformat: WARC File Format 1.1\r\n"u8.ToArray());

    /// <summary>Raw bytes appended as they are (to corrupt the archive between records).</summary>
    public WarcBuilder Raw(byte[] bytes)
    {
        records.Add(bytes);
        return this;
    }

    public byte[] Build(bool gzipPerRecord)
    {
        using var output = new MemoryStream();
        foreach (var record in records)
        {
            if (gzipPerRecord)
            {
                // One gzip member per record, as crawlers write .warc.gz.
                using var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true);
                gzip.Write(record);
            }
            else
            {
                output.Write(record);
            }
        }

        return output.ToArray();
    }

    private static Guid DeterministicGuid(int index) => new(index, 0x5eed, 0x1234, [1, 2, 3, 4, 5, 6, 7, (byte)index]);
}
