namespace Stemma.Ingest.Html;

/// <summary>
/// Thrown by <see cref="HtmlArticleExtractor.Extract(string, string?)"/> when a page is larger than
/// <see cref="HtmlArticleExtractor.MaxHtmlChars"/>; parsing such a page would cost unbounded memory
/// and time, and no real news page comes near the cap.
/// </summary>
public sealed class HtmlTooLargeException : Exception
{
    public HtmlTooLargeException()
        : base("The HTML page is too large to extract.")
    {
    }

    public HtmlTooLargeException(string message)
        : base(message)
    {
    }

    public HtmlTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HtmlTooLargeException(long length, long limit)
        : base($"The HTML page has {length:N0} characters, over the limit of {limit:N0}.")
    {
        Length = length;
        Limit = limit;
    }

    /// <summary>Length of the refused page in characters.</summary>
    public long Length { get; }

    /// <summary>The cap in characters.</summary>
    public long Limit { get; }
}
