using System.Net;
using System.Text.Json;
using Stemma.Testing.Corpus;

namespace Stemma.Cli.Tests;

public class MixedFormatTests
{
    private static string Paragraphs(string body, Func<string, string> wrap) =>
        string.Concat(body.Split("\n\n").Select(p => wrap(WebUtility.HtmlEncode(p))));

    private static void WriteInFormat(TempDirectory directory, GeneratedDocument d, int format)
    {
        var link = $"https://{d.Site}/news/{d.Id}";
        var date = d.Date.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        switch (format)
        {
            case 0:
                directory.Write($"text/{d.Id}.txt", d.ToTextFile());
                break;
            case 1:
                directory.Write($"pages/{d.Id}.html", $"""
                    <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(d.Title)} | {d.Site}</title>
                    <link rel="canonical" href="{link}"><meta property="article:published_time" content="{date}Z"></head>
                    <body><nav><ul><li><a href="/">Home</a></li><li><a href="/local">Local</a></li><li><a href="/sport">Sport</a></li></ul></nav>
                    <main><article><h1>{WebUtility.HtmlEncode(d.Title)}</h1>{Paragraphs(d.Body, p => $"<p>{p}</p>")}</article>
                    <aside><h3>Most read</h3><ul><li><a href="/a">Council meets again</a></li><li><a href="/b">Weather turns</a></li></ul></aside></main>
                    <footer><p>Copyright {d.Site}. All rights reserved.</p></footer></body></html>
                    """);
                break;
            case 2:
                var post = new Dictionary<string, object>
                {
                    ["id"] = Math.Abs(d.Id.GetHashCode(StringComparison.Ordinal)),
                    ["date"] = date,
                    ["date_gmt"] = date,
                    ["link"] = link,
                    ["title"] = new { rendered = WebUtility.HtmlEncode(d.Title).Replace("'", "&#8217;", StringComparison.Ordinal) },
                    ["content"] = new { rendered = Paragraphs(d.Body, p => $"<p>{p}</p>\n") },
                };
                directory.Write($"wp/{d.Id}.json", JsonSerializer.Serialize(post));
                break;
            case 3:
                directory.Write($"feeds/{d.Id}.xml", $"""
                    <?xml version="1.0" encoding="UTF-8"?>
                    <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>{d.Site}</title><link>https://{d.Site}/</link>
                    <item><title>{WebUtility.HtmlEncode(d.Title)}</title><link>{link}</link><guid>{link}</guid><pubDate>{d.Date.ToString("r", System.Globalization.CultureInfo.InvariantCulture)}</pubDate>
                    <content:encoded><![CDATA[{Paragraphs(d.Body, p => $"<p>{p}</p>")}]]></content:encoded></item></channel></rss>
                    """);
                break;
            default:
                directory.Write($"dumps/{d.Id}.jsonl", JsonSerializer.Serialize(new { id = link, title = d.Title, text = d.Body, url = link }));
                break;
        }
    }

    [Fact]
    public async Task Copies_spread_over_text_html_wordpress_feed_and_jsonl_group_as_they_do_in_plain_text()
    {
        using var directory = new TempDirectory();
        var corpus = new SyntheticCorpus(515, new CorpusOptions { Stories = 12, UnrelatedArticles = 12 }).Generate();
        for (var i = 0; i < corpus.Count; i++)
        {
            WriteInFormat(directory, corpus[i], i % 5);
        }

        var result = await CliRunner.RunAsync("analyze", directory.Path, "--format", "jsonl");

        Assert.Equal(0, result.ExitCode);
        var predicted = new Dictionary<string, string>();
        foreach (var line in result.OutLines)
        {
            using var json = JsonDocument.Parse(line);
            var id = json.RootElement.GetProperty("id").GetString()!;

            // Pages and files are named by path, feed items and posts by link: both end in the generated id.
            var documentId = Path.GetFileNameWithoutExtension(id.Split('/')[^1]);
            predicted[documentId] = json.RootElement.GetProperty("family").GetString()!;
        }

        var truth = corpus.ToDictionary(d => d.Id, d => d.FamilyId);
        Assert.Equal(truth.Keys.Order(), predicted.Keys.Order());
        var ari = ClusteringMetrics.AdjustedRandIndex(truth, predicted);
        Assert.True(ari >= 0.95, $"ARI {ari:F3}");
    }
}
