using System.Globalization;

namespace Stemma.Web.Pages;

/// <summary>Internal page addresses. Ids are ingested text, so they only ever travel escaped in a query string.</summary>
public static class Links
{
    public static string Story(string id) => "/story?id=" + Uri.EscapeDataString(id);

    public static string Document(string id) => "/document?id=" + Uri.EscapeDataString(id);

    public static string Compare(string a, string b) => $"/compare?a={Uri.EscapeDataString(a)}&b={Uri.EscapeDataString(b)}";

    public static string Stories(string? q, string? site, string sort, int page)
    {
        var query = new List<string>();
        if (!string.IsNullOrWhiteSpace(q))
        {
            query.Add("q=" + Uri.EscapeDataString(q));
        }

        if (!string.IsNullOrWhiteSpace(site))
        {
            query.Add("site=" + Uri.EscapeDataString(site));
        }

        if (sort != "size")
        {
            query.Add("sort=" + Uri.EscapeDataString(sort));
        }

        if (page > 1)
        {
            query.Add("page=" + page.ToString(CultureInfo.InvariantCulture));
        }

        return query.Count == 0 ? "/stories" : "/stories?" + string.Join('&', query);
    }
}

/// <summary>How numbers and dates read on the pages.</summary>
public static class Show
{
    public static string Date(DateTimeOffset? date) =>
        date?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "undated";

    public static string Percent(double? value) =>
        value is double v ? (v * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "–";

    public static string Count(int value, string one, string many) =>
        value.ToString(CultureInfo.InvariantCulture) + " " + (value == 1 ? one : many);

    /// <summary>Paragraphs of a body (separated by blank lines).</summary>
    public static IEnumerable<string> Paragraphs(string body) =>
        (body ?? string.Empty).Split(["\r\n\r\n", "\n\n"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
