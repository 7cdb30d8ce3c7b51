using Stemma.Ingest.Formats;

namespace Stemma.Ingest.Tests.Formats;

public sealed class DateParsingTests
{
    [Theory]
    [InlineData("Sat, 14 Mar 2026 08:30:00 +0100", "2026-03-14T07:30:00Z")]
    [InlineData("Sat, 14 Mar 2026 08:30:00 GMT", "2026-03-14T08:30:00Z")]
    [InlineData("14 Mar 2026 08:30 EST", "2026-03-14T13:30:00Z")]
    [InlineData("Sat,  4 Mar 2026 08:30:00 PDT", "2026-03-04T15:30:00Z")]
    [InlineData("2026-03-14T08:30:00+02:00", "2026-03-14T06:30:00Z")]
    [InlineData("2026-03-14T08:30:00Z", "2026-03-14T08:30:00Z")]
    [InlineData("2026-03-14T08:30:00", "2026-03-14T08:30:00Z")]
    [InlineData("2026-03-14 08:30:00", "2026-03-14T08:30:00Z")]
    [InlineData("2026-03-14", "2026-03-14T00:00:00Z")]
    [InlineData("2026-03-14T08:30:00.123-05:00", "2026-03-14T13:30:00.123Z")]
    public void Parses_feed_and_api_dates(string text, string expectedUtc)
    {
        var parsed = DateParsing.Parse(text);
        Assert.NotNull(parsed);
        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), parsed.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("32 Foo 2026")]
    public void Garbage_is_null(string text) => Assert.Null(DateParsing.Parse(text));
}
