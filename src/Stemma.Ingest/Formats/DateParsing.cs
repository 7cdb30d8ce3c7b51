using System.Globalization;
using System.Text.RegularExpressions;

namespace Stemma.Ingest.Formats;

/// <summary>
/// Publication dates as feeds and APIs write them: RFC 822 (RSS pubDate), ISO 8601 with or without a zone, Unix time
/// (seconds or milliseconds, as JSON dumps hold it) and the month-name forms pages print ("March 7, 2026", "7 March 2026").
/// </summary>
public static class DateParsing
{
    private static readonly string[] Rfc822Formats =
    [
        "d MMM yyyy HH:mm:ss zzz",
        "d MMM yyyy HH:mm zzz",
        "d MMM yy HH:mm:ss zzz",
        "d MMM yyyy HH:mm:ss",
        "d MMM yyyy HH:mm",
        "d MMMM yyyy HH:mm:ss zzz",
    ];

    /// <summary>Dates with the month's name as pages print them; taken as UTC. Day before month with a 4-digit year.</summary>
    private static readonly string[] MonthNameFormats =
    [
        "MMMM d, yyyy", "MMM d, yyyy", "MMM. d, yyyy", "MMMM d yyyy", "MMM d yyyy",
        "MMMM d, yyyy h:mm tt", "MMM d, yyyy h:mm tt", "MMMM d, yyyy HH:mm", "MMM d, yyyy HH:mm",
        "d MMMM yyyy", "d MMMM, yyyy",
    ];

    /// <summary>Zone names RFC 822 allows besides numeric offsets.</summary>
    private static readonly Dictionary<string, string> ZoneOffsets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GMT"] = "+00:00", ["UT"] = "+00:00", ["UTC"] = "+00:00", ["Z"] = "+00:00",
        ["EST"] = "-05:00", ["EDT"] = "-04:00", ["CST"] = "-06:00", ["CDT"] = "-05:00",
        ["MST"] = "-07:00", ["MDT"] = "-06:00", ["PST"] = "-08:00", ["PDT"] = "-07:00",
        ["CET"] = "+01:00", ["CEST"] = "+02:00", ["BST"] = "+01:00",
    };

    /// <summary>Parses any of the supported forms. A time without a zone is taken as UTC (WordPress date_gmt, bare ISO dates).</summary>
    public static DateTimeOffset? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (TryParseIso(text, out var iso))
        {
            return iso;
        }

        if (TryParseUnixTime(text, out var unix))
        {
            return unix;
        }

        // Before RFC 822, whose leading-weekday rule would take "March" of "March 7, 2026" for a weekday.
        if (DateTimeOffset.TryParseExact(MultipleSpaces.Replace(text, " "), MonthNameFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var named))
        {
            return named;
        }

        return TryParseRfc822(text, out var rfc) ? rfc : null;
    }

    public static bool TryParseIso(string text, out DateTimeOffset date)
    {
        date = default;
        if (text.Length < 10 || !char.IsAsciiDigit(text[0]) || text[4] != '-')
        {
            return false;
        }

        var styles = DateTimeStyles.AllowWhiteSpaces;
        if (!HasZone(text))
        {
            styles |= DateTimeStyles.AssumeUniversal;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, styles, out date);
    }

    public static bool TryParseRfc822(string text, out DateTimeOffset date)
    {
        // Weekday names are often wrong in real feeds and add nothing: drop them before parsing.
        var normalized = LeadingWeekday.Replace(MultipleSpaces.Replace(text, " "), string.Empty);
        var lastSpace = normalized.LastIndexOf(' ');
        if (lastSpace > 0)
        {
            var zone = normalized[(lastSpace + 1)..];
            if (ZoneOffsets.TryGetValue(zone, out var offset))
            {
                normalized = normalized[..lastSpace] + " " + offset;
            }
            else if (zone.Length == 5 && (zone[0] == '+' || zone[0] == '-') && zone[1..].All(char.IsAsciiDigit))
            {
                normalized = normalized[..lastSpace] + " " + zone[..3] + ":" + zone[3..];
            }
        }

        return DateTimeOffset.TryParseExact(normalized, Rfc822Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out date);
    }

    /// <summary>Seconds (10 digits: 2001 to 2286) or milliseconds (13 digits) since 1970; other lengths are not dates.</summary>
    private static bool TryParseUnixTime(string text, out DateTimeOffset date)
    {
        date = default;
        if (text.Length is not (10 or 13) || !text.All(char.IsAsciiDigit))
        {
            return false;
        }

        var value = long.Parse(text, CultureInfo.InvariantCulture);
        date = text.Length == 10 ? DateTimeOffset.FromUnixTimeSeconds(value) : DateTimeOffset.FromUnixTimeMilliseconds(value);
        return true;
    }

    private static bool HasZone(string text)
    {
        var timeStart = text.IndexOfAny(['T', ' '], 8);
        if (timeStart < 0)
        {
            return false;
        }

        var time = text[timeStart..];
        return time.EndsWith('Z') || time.EndsWith('z') || time.IndexOfAny(['+', '-'], 1) >= 0;
    }

    private static readonly Regex LeadingWeekday = new(@"^\s*[A-Za-z]{3,9},?\s+");

    private static readonly Regex MultipleSpaces = new(@"\s+");
}
