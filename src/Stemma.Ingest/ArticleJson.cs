using System.Globalization;
using System.Text.Json;

namespace Stemma.Ingest;

/// <summary>
/// What <c>stemma extract</c> prints for each article: a JSON object
/// {"id","title","date","site","url","author","language","attribution","body","annotations":[{"kind","text","position"}]}
/// or a human-readable text block.
/// </summary>
public static class ArticleJson
{
    private static readonly System.Text.Encodings.Web.JavaScriptEncoder Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static void Write(Utf8JsonWriter writer, Article article)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(article);
        writer.WriteStartObject();
        writer.WriteString("id", article.Id);
        WriteNullable(writer, "title", article.Title);
        WriteNullable(writer, "date", article.Date is { } date ? FormatDate(date) : null);
        WriteNullable(writer, "site", article.Site);
        WriteNullable(writer, "url", article.Url);
        WriteNullable(writer, "author", article.Author);
        WriteNullable(writer, "language", article.Language);
        WriteNullable(writer, "attribution", article.Attribution);
        writer.WriteString("body", article.Body);
        writer.WriteStartArray("annotations");
        foreach (var annotation in article.Annotations)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", annotation.Kind.ToKebabCase());
            writer.WriteString("text", annotation.Text);
            writer.WriteNumber("position", annotation.Position);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>One article as a standalone JSON string (indented when asked).</summary>
    public static string Serialize(Article article, bool indented = false)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, Encoder = Encoder }))
        {
            Write(writer, article);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>One compact JSON object per line (JSON Lines), the natural shape for "one object per article" output.</summary>
    public static void WriteJsonLines(TextWriter writer, IEnumerable<Article> articles)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(articles);
        JsonLines.Write(writer, articles, Write, Encoder);
    }

    /// <summary>A human-readable form: a header of the known metadata, the body, then the annotations with their positions.</summary>
    public static void WriteText(TextWriter writer, Article article)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(article);
        writer.WriteLine($"== {article.Id}");
        WriteField(writer, "title", article.Title ?? $"(none; shown as \"{article.DisplayTitle}\")");
        WriteField(writer, "date", article.Date is { } date ? FormatDate(date) : null);
        WriteField(writer, "site", article.Site);
        WriteField(writer, "url", article.Url);
        WriteField(writer, "author", article.Author);
        WriteField(writer, "language", article.Language);
        WriteField(writer, "attribution", article.Attribution);
        WriteField(writer, "format", article.Format);
        writer.WriteLine();
        writer.WriteLine(article.Body);
        if (article.Annotations.Count > 0)
        {
            writer.WriteLine();
            writer.WriteLine("-- annotations");
            foreach (var annotation in article.Annotations)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{annotation.Position}] {annotation.Kind.ToKebabCase()}: {annotation.Text}"));
            }
        }

        writer.WriteLine();
    }

    /// <summary>ISO 8601 with the offset, seconds precision (what feeds and APIs give).</summary>
    public static string FormatDate(DateTimeOffset date) => date.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteField(TextWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteLine($"{name}: {value}");
        }
    }
}
