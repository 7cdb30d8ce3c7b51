using System.Globalization;
using System.Text.Json;
using Stemma.Ingest.Annotations;

namespace Stemma.Ingest.Formats;

/// <summary>
/// WordPress REST API posts (/wp-json/wp/v2/posts): one post object or an array of them. Title, content and
/// excerpt are HTML with encoded entities; date_gmt is UTC without a zone suffix, date the site's local time.
/// </summary>
internal static class WordPressFormat
{
    public static IEnumerable<ReadOutcome> Read(Stream stream, SourceContext source)
    {
        var values = new JsonValueStream(stream, source.Options.MaxDocumentBytes);
        var index = 0;
        while (true)
        {
            JsonDocument? document;
            string? error = null;
            try
            {
                document = values.Next();
            }
            catch (JsonException ex)
            {
                document = null;
                error = values.AtEndOfInput && !values.FoundTrailingContent && !ex.Message.Contains("UTF-8", StringComparison.Ordinal)
                    ? $"invalid JSON: ends in the middle of a value (truncated file?): {ex.Message}"
                    : $"invalid JSON: {ex.Message}";
            }
            catch (InputTooLargeException ex)
            {
                document = null;
                error = values.IsArray ? $"post {ex.Message}" : ex.Message;
            }

            if (error is not null)
            {
                yield return source.Error(error, values.IsArray ? index + 1 : null);
                yield break;
            }

            if (document is null)
            {
                break;
            }

            using (document)
            {
                index++;
                ReadOutcome outcome;
                try
                {
                    outcome = ReadPost(document.RootElement, source, values.IsArray ? index : null);
                }
                catch (IngestLimitException ex)
                {
                    outcome = source.Error(ex.Message, values.IsArray ? index : null);
                }

                yield return outcome;
            }
        }

        if (values.IsArray && index == 0)
        {
            yield return source.Error("empty JSON array: no posts");
        }
    }

    private static ReadOutcome ReadPost(JsonElement post, SourceContext source, int? index)
    {
        if (post.ValueKind != JsonValueKind.Object)
        {
            return source.Error($"JSON {post.ValueKind.ToString().ToLowerInvariant()} is not a WordPress post object", index);
        }

        var contentHtml = RenderedOrString(post, "content");
        var excerptHtml = RenderedOrString(post, "excerpt");
        if (string.IsNullOrWhiteSpace(contentHtml) && string.IsNullOrWhiteSpace(excerptHtml))
        {
            return source.Error("not a WordPress post: no content.rendered or excerpt.rendered", index);
        }

        var link = JsonFields.String(post, "link");
        var postId = JsonFields.String(post, "id");
        var title = HtmlText.ToInlineText(RenderedOrString(post, "title"));
        var blocks = HtmlText.ToBlocks(string.IsNullOrWhiteSpace(contentHtml) ? excerptHtml : contentHtml, source.Options.Limits);
        var fallbackId = index is null && postId is null ? source.Id : $"{source.Id}#{postId ?? index?.ToString(CultureInfo.InvariantCulture)}";
        var article = ArticleAssembler.Build(new ArticleDraft
        {
            Id = link ?? JsonFields.String(post, "guid", "rendered") ?? fallbackId,
            Title = title,
            Paragraphs = blocks,
            SourcePath = source.Path,
            Url = link,
            Date = PostDate(post),
            Author = JsonFields.String(post, "yoast_head_json", "author") ?? EmbeddedAuthor(post) ?? NonNumeric(JsonFields.String(post, "author")),
            Language = JsonFields.String(post, "lang") ?? JsonFields.String(post, "yoast_head_json", "og_locale"),
            Format = "wordpress",
        });
        return article.Body.Length == 0 ? source.Error("post has no body text", index) : source.Success(article);
    }

    /// <summary>date_gmt is the instant; date (local) only lends its offset. With only date, it is taken as UTC.</summary>
    internal static DateTimeOffset? PostDate(JsonElement post)
    {
        var gmt = DateParsing.Parse(JsonFields.String(post, "date_gmt"));
        var local = DateParsing.Parse(JsonFields.String(post, "date"));
        if (gmt is not { } utc)
        {
            return local;
        }

        if (local is { } localTime)
        {
            var offset = localTime.UtcDateTime - utc.UtcDateTime;
            if (Math.Abs(offset.TotalHours) <= 14 && offset.Ticks % TimeSpan.TicksPerMinute == 0)
            {
                return utc.ToOffset(offset);
            }
        }

        return utc;
    }

    private static string? RenderedOrString(JsonElement post, string name) =>
        JsonFields.String(post, name, "rendered") ?? JsonFields.String(post, name);

    private static string? EmbeddedAuthor(JsonElement post)
    {
        if (post.TryGetProperty("_embedded", out var embedded) && embedded.ValueKind == JsonValueKind.Object
            && embedded.TryGetProperty("author", out var authors) && authors.ValueKind == JsonValueKind.Array)
        {
            foreach (var author in authors.EnumerateArray())
            {
                if (JsonFields.String(author, "name") is { } name)
                {
                    return name;
                }
            }
        }

        return null;
    }

    private static string? NonNumeric(string? value) => value is null || value.All(char.IsAsciiDigit) ? null : value;
}
