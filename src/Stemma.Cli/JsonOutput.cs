using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Stemma.Pipeline;

namespace Stemma.Cli;

/// <summary>JSON writing shared by the commands: compact lines for jsonl, indented documents for json.</summary>
internal static class JsonOutput
{
    // Readable non-ASCII (titles in any language) while still escaping what could break a terminal or HTML.
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    /// <summary>One compact object per item, a line each (JSON Lines).</summary>
    public static void Lines<T>(TextWriter output, IEnumerable<T> items, Action<Utf8JsonWriter, T> write) =>
        Stemma.Ingest.JsonLines.Write(output, items, write, Encoder);

    /// <summary>One indented JSON document.</summary>
    public static string Document(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = Encoder }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void WriteDocumentResult(Utf8JsonWriter writer, DocumentResult document)
    {
        writer.WriteStartObject();
        writer.WriteString("id", document.Id);
        writer.WriteString("family", document.Family);
        writer.WriteString("story", document.Story);
        writer.WriteString("parent", document.Parent);
        writer.WriteString("relation", document.Relation);
        writer.WriteString("origin", document.Origin);
        writer.WriteEndObject();
    }
}
