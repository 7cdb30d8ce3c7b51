using Stemma.Ingest.Tests.Support;

namespace Stemma.Ingest.Tests.Formats;

/// <summary>Chinese and Japanese lines have no spaces; their length in words is still about what a reader sees.</summary>
public sealed class UnspacedScriptTests
{
    // Sentences of random common ideographs, so no rule can key on a known phrase.
    private static string Sentence(Random random, int characters) =>
        new string([.. Enumerable.Range(0, characters).Select(_ => (char)(0x4E00 + random.Next(3000)))]) + "。";

    [Fact]
    public void A_page_that_repeats_a_chinese_paragraph_keeps_its_body()
    {
        // Pages that print a paragraph twice (a pull quote, a mobile and a desktop copy): a long paragraph twice is text.
        var random = new Random(1);
        var paragraph = Sentence(random, 40) + Sentence(random, 50) + Sentence(random, 30);
        var other = Sentence(random, 60);
        var html = $"<html><head><meta charset=\"utf-8\"><title>交通计划</title></head><body><article><h1>交通计划</h1><p>{paragraph}</p><p>{paragraph}</p><p>{other}</p></article></body></html>";

        var article = Reading.Single(Reading.ReadText("page.html", html));

        Assert.Equal($"{paragraph}\n\n{paragraph}\n\n{other}", article.Body);
    }

    [Fact]
    public void A_chinese_headline_is_a_title_and_a_chinese_paragraph_is_not()
    {
        var random = new Random(2);
        var headline = Sentence(random, 14).TrimEnd('。');
        var first = Sentence(random, 70) + Sentence(random, 40);
        var second = Sentence(random, 80);

        var titled = Reading.Single(Reading.ReadText("titled.txt", $"{headline}\n{first}\n\n{second}\n"));
        var untitled = Reading.Single(Reading.ReadText("untitled.txt", $"{first}\n{second}\n"));

        Assert.Equal((headline, $"{first}\n\n{second}"), (titled.Title, titled.Body));
        Assert.Null(untitled.Title);
        Assert.Contains(first, untitled.Body, StringComparison.Ordinal);
    }
}
