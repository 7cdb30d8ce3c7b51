using Stemma.Ingest.Formats;
using Stemma.Ingest.Tests.Support;

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
    [InlineData("1773477000", "2026-03-14T08:30:00Z")]
    [InlineData("1773477000123", "2026-03-14T08:30:00.123Z")]
    [InlineData("March 14, 2026", "2026-03-14T00:00:00Z")]
    [InlineData("Mar 14, 2026 8:30 PM", "2026-03-14T20:30:00Z")]
    [InlineData("Mar. 4, 2026", "2026-03-04T00:00:00Z")]
    [InlineData("14 March 2026", "2026-03-14T00:00:00Z")]
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
    [InlineData("20260314")]
    [InlineData("12345")]
    [InlineData("March 32, 2026")]
    public void Garbage_is_null(string text) => Assert.Null(DateParsing.Parse(text));

    [Fact]
    public void A_jsonl_date_given_as_a_number_of_seconds_is_read()
    {
        var article = Reading.Single(Reading.ReadText("a.jsonl", "{\"id\":\"a\",\"date\":1773477000,\"text\":\"The harbour reopened.\"}\n"));
        Assert.Equal(DateTimeOffset.Parse("2026-03-14T08:30:00Z", System.Globalization.CultureInfo.InvariantCulture), article.Date);
    }
}
