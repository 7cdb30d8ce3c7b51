using Stemma.Ingest.Tests.Support;

namespace Stemma.Ingest.Tests.Formats;

public sealed class FeedTests
{
    private const string Rss = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
          <channel>
            <title>Valley Wire</title>
            <link>https://valleywire.example.org/</link>
            <language>en-GB</language>
            <item>
              <title>Council &amp;#8216;backs&amp;#8217; bridge</title>
              <link>https://valleywire.example.org/bridge</link>
              <guid isPermaLink="false">vw-1001</guid>
              <pubDate>Sat, 14 Mar 2026 08:30:00 +0100</pubDate>
              <dc:creator>Ana Costa</dc:creator>
              <description>Short summary.</description>
              <content:encoded><![CDATA[<p>The council voted to repair the bridge.</p><p>READ MORE: Schools close early for the storm</p><figure><img src="x.jpg"><figcaption>(Lee Park/Valley Wire via Newsline)</figcaption></figure><p>Work begins in May.</p>]]></content:encoded>
            </item>
            <item>
              <title>Second item</title>
              <link>https://valleywire.example.org/second</link>
              <pubDate>Sun, 15 Mar 2026 10:00:00 GMT</pubDate>
              <description>&lt;p&gt;Only a description here.&lt;/p&gt;</description>
            </item>
          </channel>
        </rss>
        """;

    [Fact]
    public void Rss_items_become_articles_with_metadata_and_annotations()
    {
        var outcomes = Reading.ReadText("feed.xml", Rss);
        Assert.Equal(2, outcomes.Count);
        var first = outcomes[0].Article!;
        Assert.Equal("vw-1001", first.Id);
        Assert.Equal("Council \u2018backs\u2019 bridge", first.Title);
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 8, 30, 0, TimeSpan.FromHours(1)), first.Date);
        Assert.Equal("Ana Costa", first.Author);
        Assert.Equal("en", first.Language);
        Assert.Equal("valleywire.example.org", first.Site);
        Assert.Equal("The council voted to repair the bridge.\n\nWork begins in May.", first.Body);
        Assert.Equal([AnnotationKind.ReadMore, AnnotationKind.Caption], first.Annotations.Select(a => a.Kind));
        Assert.Equal([1, 2], first.Annotations.Select(a => a.Position));

        var second = outcomes[1].Article!;
        Assert.Equal("https://valleywire.example.org/second", second.Id);
        Assert.Equal("Only a description here.", second.Body);
        Assert.Equal(new DateTimeOffset(2026, 3, 15, 10, 0, 0, TimeSpan.Zero), second.Date);
    }

    [Fact]
    public void Atom_entries_use_content_published_and_alternate_link()
    {
        var atom = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">
              <title>Talblatt</title>
              <link href="https://talblatt.example.de/"/>
              <entry>
                <title type="html">Br&amp;uuml;cke wird saniert</title>
                <link rel="alternate" href="https://talblatt.example.de/bruecke"/>
                <id>tag:talblatt.example.de,2026:1</id>
                <published>2026-03-14T07:00:00Z</published>
                <updated>2026-03-15T07:00:00Z</updated>
                <author><name>Jonas Weber</name></author>
                <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Der Rat stimmte zu.</p><p>Lesen Sie auch: Schulen schlie&#223;en</p></div></content>
              </entry>
              <entry>
                <title>Nur Zusammenfassung</title>
                <id>tag:talblatt.example.de,2026:2</id>
                <updated>2026-03-16T07:00:00+02:00</updated>
                <summary>Ein Satz als Zusammenfassung.</summary>
              </entry>
            </feed>
            """;
        var outcomes = Reading.ReadText("talblatt.atom", atom);
        Assert.Equal(2, outcomes.Count);
        var first = outcomes[0].Article!;
        Assert.Equal("tag:talblatt.example.de,2026:1", first.Id);
        Assert.Equal("Br\u00fccke wird saniert", first.Title);
        Assert.Equal("https://talblatt.example.de/bruecke", first.Url);
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 7, 0, 0, TimeSpan.Zero), first.Date);
        Assert.Equal("Jonas Weber", first.Author);
        Assert.Equal("de", first.Language);
        Assert.Equal("Der Rat stimmte zu.", first.Body);
        Assert.Equal(AnnotationKind.ReadMore, Assert.Single(first.Annotations).Kind);
        Assert.Equal("Ein Satz als Zusammenfassung.", outcomes[1].Article!.Body);
        Assert.Equal("talblatt.example.de", outcomes[1].Article!.Site);
    }

    [Fact]
    public void Feed_saved_with_a_txt_extension_is_still_a_feed()
    {
        var outcomes = Reading.ReadText("feed-dump.txt", Rss);
        Assert.All(outcomes, outcome => Assert.Equal("feed", outcome.Article?.Format));
    }

    [Fact]
    public void Malformed_feed_keeps_items_before_the_error_and_reports_it()
    {
        var broken = Rss.Replace("<title>Second item</title>", "<title>Second item</titel>");
        var outcomes = Reading.ReadText("feed.xml", broken);
        Assert.Equal(2, outcomes.Count);
        Assert.False(outcomes[0].IsError);
        Assert.True(outcomes[1].IsError);
        Assert.Contains("invalid XML", outcomes[1].Error);
        Assert.Equal(2, outcomes[1].Line);
    }

    [Fact]
    public void Mistakes_real_feeds_make_lose_no_item()
    {
        // A bare ampersand in the first item's link and title, HTML entities XML does not define, a vertical tab pasted from
        // a word processor and a reference to half an emoji: each stopped the parser, losing that item and every later one.
        const string feed = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>Wire</title><link>https://wire.example.org/</link>
            <item><title>Fish & chips shop reopens</title><link>https://wire.example.org/a?id=1&ref=rss</link>
              <description>The shop reopened on Monday.</description></item>
            <item><title>Caf&eacute; prices&nbsp;rise</title><link>https://wire.example.org/b</link>
              <description>Prices rose by a third.{VT} The owner &#xD83D; blamed rents.</description></item>
            <item><title>Ferry &amp; bus timetable</title><link>https://wire.example.org/c</link>
              <description><![CDATA[<p>Buses & ferries run hourly.</p>]]></description></item>
            </channel></rss>
            """;

        var outcomes = Reading.ReadText("feed.xml", feed.Replace("{VT}", "\u000B", StringComparison.Ordinal));

        Assert.All(outcomes, o => Assert.Null(o.Error));
        var articles = outcomes.Select(o => o.Article!).ToList();
        Assert.Equal(["Fish & chips shop reopens", "Caf\u00e9 prices rise", "Ferry & bus timetable"], articles.Select(a => a.Title));
        Assert.Equal("https://wire.example.org/a?id=1&ref=rss", articles[0].Url);
        Assert.Equal("Prices rose by a third. The owner \uFFFD blamed rents.", articles[1].Body);
        Assert.Equal("Buses & ferries run hourly.", articles[2].Body);
    }

    [Fact]
    public void Xml_that_is_not_a_feed_is_reported()
    {
        var outcome = Assert.Single(Reading.ReadText("data.xml", "<?xml version=\"1.0\"?><catalog><book>x</book></catalog>"));
        Assert.Contains("not an RSS or Atom feed", outcome.Error);
    }

    [Theory]
    [InlineData("windows-1252")]
    [InlineData("ISO-8859-1")]
    public void Feed_declared_in_a_single_byte_charset_is_decoded(string charset)
    {
        var xml = $"<?xml version=\"1.0\" encoding=\"{charset}\"?><rss version=\"2.0\"><channel><title>Caf\u00e9</title><item><guid>c1</guid><title>Caf\u00e9 reopens</title><description>The caf\u00e9 by the quay reopens.</description></item></channel></rss>";
        var bytes = TextDecodingTests.Windows1252.GetBytes(xml);

        var article = Reading.Single(ArticleReader.ReadBytes(bytes, "cafe.rss"));

        Assert.Equal("Caf\u00e9 reopens", article.Title);
        Assert.Equal("The caf\u00e9 by the quay reopens.", article.Body);
    }

    [Fact]
    public void Utf16_feed_with_bom_is_decoded()
    {
        var xml = "<?xml version=\"1.0\" encoding=\"utf-16\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>u1</id><title>\u00dcber die Br\u00fccke</title><content type=\"text\">Ein Satz \u00fcber die Br\u00fccke.</content></entry></feed>";
        var bytes = System.Text.Encoding.Unicode.GetPreamble().Concat(System.Text.Encoding.Unicode.GetBytes(xml)).ToArray();

        Assert.Equal("Ein Satz \u00fcber die Br\u00fccke.", Reading.Single(ArticleReader.ReadBytes(bytes, "u.atom")).Body);
    }

    [Fact]
    public void Feed_past_the_cap_is_streamed_item_by_item()
    {
        var items = string.Concat(Enumerable.Range(0, 500).Select(i => $"<item><guid>g{i}</guid><title>Item {i}</title><description>&lt;p&gt;Body of item {i}, long enough to count.&lt;/p&gt;</description></item>\n"));
        var xml = $"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Big</title><link>https://big.example/</link>{items}</channel></rss>";
        var bytes = FormatDetectionTests.Gzip(System.Text.Encoding.UTF8.GetBytes(xml));

        var outcomes = ArticleReader.ReadBytes(bytes, "big.xml.gz", new ReaderOptions { MaxDocumentBytes = 8192 }).ToList();

        Assert.Equal(500, outcomes.Count(o => o.Article is not null));
        Assert.Equal("Body of item 499, long enough to count.", outcomes[^1].Article!.Body);
        Assert.Equal("big.example", outcomes[0].Article!.Site);
    }
}
