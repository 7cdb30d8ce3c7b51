using Stemma.Ingest.Annotations;

namespace Stemma.Ingest.Formats;

/// <summary>Plain text: the first non-empty line is the title, the rest the body.</summary>
internal static class PlainTextFormat
{
    public static IEnumerable<ReadOutcome> Read(Stream stream, SourceContext source)
    {
        var decoded = TextDecoding.Decode(StreamLimits.ReadBounded(stream, source.Options.MaxDocumentBytes));
        var text = decoded.Text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart();
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        var title = (newline < 0 ? text : text[..newline]).Trim();
        var rest = newline < 0 ? string.Empty : text[(newline + 1)..];
        var article = ArticleAssembler.Build(new ArticleDraft
        {
            Id = source.Id,
            Title = title,
            Paragraphs = ArticleAssembler.PlainTextParagraphs(rest, title),
            SourcePath = source.Path,
            Format = "txt",
        });
        yield return article.Body.Length == 0
            ? source.Error(text.Length == 0 ? "empty file" : "empty article: no body after the title line")
            : source.Success(article, StreamLimits.DecodingWarning(decoded));
    }
}
