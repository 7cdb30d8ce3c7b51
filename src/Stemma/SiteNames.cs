namespace Stemma;

/// <summary>Site names as Stemma keeps them everywhere (readers, lineage): lower-case host without "www.".</summary>
public static class SiteNames
{
    public static string? FromUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        var text = url.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "http://" + text;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? FromHost(uri.Host) : null;
    }

    public static string FromHost(string host)
    {
        var lower = host.Trim().TrimEnd('.').ToLowerInvariant();
        return lower.StartsWith("www.", StringComparison.Ordinal) ? lower[4..] : lower;
    }
}
