using Stemma.Ingest.Tests.Support;

namespace Stemma.Ingest.Tests.Formats;

public sealed class WordPressTests
{
    private const string Post = """
        {
          "id": 4812,
          "date": "2026-03-14T11:05:00",
          "date_gmt": "2026-03-14T10:05:00",
          "guid": { "rendered": "https://repost.example.net/?p=4812" },
          "link": "https://www.Repost.example.net/2026/03/14/ferry-returns/",
          "title": { "rendered": "Ferry&#8217;s return &#8211; &quot;at last&quot; &amp; more" },
          "content": { "rendered": "<p>The ferry&#8217;s engines were rebuilt over the winter.</p>\n<p>Passengers queued at the pier&nbsp;before dawn.</p>\n<ul><li>First sailing at 7:15</li></ul>\n<p>This post appeared first on <a href=\"https://harbourgazette.example.com/ferry\">harbourgazette.example.com</a>.</p>" },
          "excerpt": { "rendered": "<p>The ferry is back.</p>" },
          "author": 7
        }
        """;

    [Fact]
    public void Post_yields_decoded_title_date_link_and_clean_body()
    {
        var article = Reading.Single(Reading.ReadText("post.json", Post));

        Assert.Equal("https://www.Repost.example.net/2026/03/14/ferry-returns/", article.Id);
        Assert.Equal("Ferry\u2019s return \u2013 \"at last\" & more", article.Title);
        Assert.Equal("https://www.Repost.example.net/2026/03/14/ferry-returns/", article.Url);
        Assert.Equal("repost.example.net", article.Site);
        Assert.Equal("wordpress", article.Format);
        Assert.DoesNotContain("<", article.Body);
        Assert.DoesNotContain("&", article.Body);
        Assert.Contains("The ferry\u2019s engines were rebuilt", article.Body);
        Assert.Contains("First sailing at 7:15", article.Body);
        Assert.DoesNotContain("appeared first", article.Body);
        Assert.Equal("harbourgazette.example.com", article.Attribution);
        var annotation = Assert.Single(article.Annotations);
        Assert.Equal(AnnotationKind.Attribution, annotation.Kind);
        Assert.Equal(3, annotation.Position);
    }

    [Fact]
    public void Date_gmt_is_the_instant_and_date_lends_the_site_offset()
    {
        var article = Reading.Single(Reading.ReadText("post.json", Post));

        Assert.Equal(new DateTimeOffset(2026, 3, 14, 10, 5, 0, TimeSpan.Zero), article.Date!.Value.ToUniversalTime());
        Assert.Equal(TimeSpan.FromHours(1), article.Date!.Value.Offset);
    }

    [Fact]
    public void Date_gmt_alone_is_utc()
    {
        var json = """{"id":1,"date_gmt":"2025-12-31T23:30:00","link":"https://a.example/x","title":{"rendered":"T"},"content":{"rendered":"<p>Body text here.</p>"}}""";
        var article = Reading.Single(Reading.ReadText("p.json", json));
        Assert.Equal(new DateTimeOffset(2025, 12, 31, 23, 30, 0, TimeSpan.Zero), article.Date);
    }

    [Fact]
    public void Array_of_posts_yields_one_article_each_with_link_or_file_id()
    {
        var json = """
            [
              {"id":1,"link":"https://a.example/one","title":{"rendered":"One"},"content":{"rendered":"<p>First body.</p>"}},
              {"id":2,"title":{"rendered":"Two"},"content":{"rendered":"<p>Second body.</p>"}},
              {"id":3,"title":{"rendered":"Three"},"content":{"rendered":""}}
            ]
            """;
        var outcomes = Reading.ReadText("posts.json", json);

        Assert.Equal(3, outcomes.Count);
        Assert.Equal("https://a.example/one", outcomes[0].Article!.Id);
        Assert.Equal("posts.json#2", outcomes[1].Article!.Id);
        Assert.True(outcomes[2].IsError);
        Assert.Equal(3, outcomes[2].Line);
    }

    [Fact]
    public void The_post_X_appeared_first_on_Y_names_Y()
    {
        var json = """{"id":9,"link":"https://b.example/p","title":{"rendered":"Harbour news"},"content":{"rendered":"<p>A sentence of body.</p><p>The post <a href=\"https://c.example/p\">Harbour news</a> appeared first on The Harbour Gazette.</p>"}}""";
        var article = Reading.Single(Reading.ReadText("p.json", json));
        Assert.Equal("The Harbour Gazette", article.Attribution);
        Assert.Equal("A sentence of body.", article.Body);
    }

    [Fact]
    public void Minified_post_with_a_txt_extension_is_detected_by_content()
    {
        var json = """{"id":5,"link":"https://d.example/p","title":{"rendered":"Minified"},"content":{"rendered":"<p>Some body.</p>"}}""";
        var article = Reading.Single(Reading.ReadText("oops.txt", json));
        Assert.Equal("wordpress", article.Format);
        Assert.Equal("Some body.", article.Body);
    }

    [Fact]
    public void Large_arrays_stream_post_by_post_within_the_cap()
    {
        var post = """{"id":0,"link":"https://a.example/p","title":{"rendered":"T"},"content":{"rendered":"<p>Body of a post that is long enough to matter here.</p>"}}""";
        var json = "[" + string.Join(",\n", Enumerable.Range(0, 2000).Select(i => post.Replace("\"id\":0", $"\"id\":{i}").Replace("/p\"", $"/p{i}\""))) + "]";
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);

        var outcomes = ArticleReader.ReadBytes(bytes, "export.json", new ReaderOptions { MaxDocumentBytes = 4096 }).ToList();

        Assert.True(bytes.Length > 50 * 4096);
        Assert.Equal(2000, outcomes.Count(o => o.Article is not null));
        Assert.Equal("https://a.example/p1999", outcomes[^1].Article!.Id);
    }

    [Fact]
    public void Truncated_array_keeps_the_complete_posts_and_reports_the_cut()
    {
        var json = """[{"id":1,"link":"https://a.example/1","content":{"rendered":"<p>One.</p>"}},{"id":2,"link":"https://a.example/2","content":{"rendered":"<p>Tw""";
        var outcomes = Reading.ReadText("cut.json", json);

        Assert.Equal("https://a.example/1", outcomes[0].Article?.Id);
        Assert.Contains("truncated", outcomes[1].Error);
        Assert.Equal(2, outcomes[1].Line);
    }

    [Fact]
    public void Utf8_bom_and_a_single_object_are_fine()
    {
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(Post)).ToArray();
        Assert.Equal("harbourgazette.example.com", Reading.Single(ArticleReader.ReadBytes(bytes, "bom.json")).Attribution);
    }

    [Fact]
    public void Invalid_utf8_in_a_post_is_reported()
    {
        byte[] bytes = [.. "{\"id\":1,\"content\":{\"rendered\":\"<p>caf"u8, 0xE9, .. "</p>\"}}"u8];
        var outcome = Assert.Single(ArticleReader.ReadBytes(bytes, "bad.json"));
        Assert.Contains("invalid JSON", outcome.Error);
    }

    [Fact]
    public void Figcaptions_and_plugin_boxes_are_annotations_by_their_markup()
    {
        var content = "<p>The ferry sailed at dawn.</p>"
            + "<figure class=\\\"wp-block-image\\\"><img src=\\\"k.jpg\\\"><figcaption>Passengers queue at the slipway in Saltmere on Saturday.</figcaption></figure>"
            + "<div class=\\\"sharedaddy sd-sharing-enabled\\\"><h3>Share this story</h3><ul><li>Facebook</li><li>X</li></ul></div>"
            + "<div id=\\\"jp-relatedposts\\\" class=\\\"jp-relatedposts\\\"><p>Bridge repairs delayed to spring</p></div>"
            + "<p>It returns to four crossings a day.</p>";
        var json = "{\"id\":1,\"link\":\"https://b.example/f\",\"content\":{\"rendered\":\"" + content + "\"}}";

        var article = Reading.Single(Reading.ReadText("f.json", json));

        Assert.Equal("The ferry sailed at dawn.\n\nIt returns to four crossings a day.", article.Body);
        Assert.Equal(
            [AnnotationKind.Caption, AnnotationKind.Promo, AnnotationKind.Promo, AnnotationKind.Promo, AnnotationKind.Related],
            article.Annotations.Select(a => a.Kind));
    }
}
