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

    public static string Line(Action<Utf8JsonWriter> write) => Write(write, indented: false);

    public static string Document(Action<Utf8JsonWriter> write) => Write(write, indented: true);

    private static string Write(Action<Utf8JsonWriter> write, bool indented)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, Encoder = Encoder }))
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
