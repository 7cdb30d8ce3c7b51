namespace Stemma;

/// <summary>
/// One article as Stemma reads it: the main text used for matching plus everything the reader found around it.
/// Readers in Stemma.Ingest produce these; every later pipeline stage consumes them.
/// </summary>
public sealed record Article
{
    /// <summary>Stable id: path relative to the ingested root (forward slashes), a JSONL record id, or a WARC target URI.</summary>
    public required string Id { get; init; }

    /// <summary>The body used for matching: paragraphs separated by a blank line, annotations removed.</summary>
    public required string Body { get; init; }

    public string? Title { get; init; }

    /// <summary>The file this article was read from (a feed or WARC file yields many articles with one source path).</summary>
    public string? SourcePath { get; init; }

    public DateTimeOffset? Date { get; init; }

    /// <summary>Publishing site, as a lower-case host name without "www." when known.</summary>
    public string? Site { get; init; }

    public string? Url { get; init; }

    public string? Author { get; init; }

    /// <summary>ISO 639-1 code when known.</summary>
    public string? Language { get; init; }

    /// <summary>The outside source this article credits ("appeared first on X", "via X", "Source link"), if any.</summary>
    public string? Attribution { get; init; }

    /// <summary>Lines found in the text that are not the article: kept as evidence, excluded from <see cref="Body"/>.</summary>
    public IReadOnlyList<Annotation> Annotations { get; init; } = [];

    /// <summary>The input format the article came in: txt, jsonl, html, wordpress, feed, warc.</summary>
    public string? Format { get; init; }

    /// <summary>
    /// What to show as the article's title: <see cref="Title"/>, or for an untitled article its first words
    /// ("Rain closed the harbour road on Tuesday as…"), or its id when it has no body either. Never used for matching.
    /// </summary>
    public string DisplayTitle => ArticleTitles.Display(Title, Body, Id);
}

/// <summary>Titles for display.</summary>
public static class ArticleTitles
{
    /// <summary>How many words of the body make the title of an untitled article.</summary>
    public const int FirstWords = 12;

    /// <summary>The title, else the first words of the body (ending in "…" when cut), else the id.</summary>
    public static string Display(string? title, string? body, string id)
    {
        if (!string.IsNullOrWhiteSpace(title))
        {
            return title.Trim();
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            return id;
        }

        var words = body.Split((char[])[' ', '\n', '\t', '\r'], FirstWords + 1, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length <= FirstWords)
        {
            return string.Join(' ', words);
        }

        return string.Join(' ', words.Take(FirstWords)).TrimEnd(',', ';', ':', '-', '–', '—') + "…";
    }
}

/// <summary>A line or paragraph of the extracted text that is not article body.</summary>
/// <param name="Kind">What kind of insertion it is.</param>
/// <param name="Text">The line as found.</param>
/// <param name="Position">Zero-based index of the paragraph in the extracted text (body and annotations together, in reading order).</param>
public sealed record Annotation(AnnotationKind Kind, string Text, int Position);

/// <summary>Kinds of lines copiers and sites put around an article. Serialized in kebab case (read-more, comment-form...).</summary>
public enum AnnotationKind
{
    ReadMore,
    Related,
    Caption,
    RepeatedTitle,
    CommentForm,
    SourceLink,
    Attribution,
    Promo,
    EditorNote,
    /// <summary>A line that recurs across unrelated articles of one site.</summary>
    Boilerplate,
    /// <summary>A sentence put into a copy that no other member of its family carries and that fits none of its neighbours' topic (click-bait).</summary>
    Injected,
}

public static class AnnotationKindNames
{
    public static string ToKebabCase(this AnnotationKind kind) => kind switch
    {
        AnnotationKind.ReadMore => "read-more",
        AnnotationKind.Related => "related",
        AnnotationKind.Caption => "caption",
        AnnotationKind.RepeatedTitle => "repeated-title",
        AnnotationKind.CommentForm => "comment-form",
        AnnotationKind.SourceLink => "source-link",
        AnnotationKind.Attribution => "attribution",
        AnnotationKind.Promo => "promo",
        AnnotationKind.EditorNote => "editor-note",
        AnnotationKind.Boilerplate => "boilerplate",
        AnnotationKind.Injected => "injected",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParse(string name, out AnnotationKind kind)
    {
        foreach (var candidate in Enum.GetValues<AnnotationKind>())
        {
            if (string.Equals(candidate.ToKebabCase(), name, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
