using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace Stemma.Ingest.Tests;

/// <summary>A later version's id carries a hash of its title and body; the hash is of the UTF-8 text, however long.</summary>
public sealed class DocumentVersionsTests
{
    /// <summary>The id as the hash of the joined text, encoded whole, names it.</summary>
    private static string ExpectedId(string id, string? title, string body) =>
        id + DocumentVersions.VersionMarker + (XxHash64.HashToUInt64(Encoding.UTF8.GetBytes((title ?? string.Empty) + "\n" + body)) >> 32).ToString("x8", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_later_version_is_named_by_the_hash_of_its_whole_text(int seed)
    {
        var random = new Random(seed);
        string[] pieces = ["plain words ", "café ", "\U0001F30A", "日本語", "\uD83D", "\uDC4D", "\n\n", "x"];
        for (var round = 0; round < 40; round++)
        {
            // Long enough to cross the encoding buffer many times, with pairs and lone surrogates at every offset.
            var body = new StringBuilder();
            var length = random.Next(0, 20_000);
            while (body.Length < length)
            {
                body.Append(pieces[random.Next(pieces.Length)]);
            }

            var title = random.Next(3) switch { 0 => null, 1 => "Title \uD83D", _ => "\uDC4D title \U0001F30A" };
            var versions = new DocumentVersions();
            versions.Add(new Article { Id = "page", Body = "first version" });

            var decision = versions.Add(new Article { Id = "page", Title = title, Body = body.ToString() });

            Assert.Equal(ExpectedId("page", title, body.ToString()), decision.Article!.Id);
        }
    }

    [Fact]
    public void The_same_text_twice_is_a_duplicate()
    {
        var versions = new DocumentVersions();
        var body = string.Concat(Enumerable.Repeat("A long body \U0001F30A. ", 2000));
        versions.Add(new Article { Id = "page", Title = "T", Body = body });

        var decision = versions.Add(new Article { Id = "page", Title = "T", Body = body });

        Assert.Null(decision.Article);
        Assert.Equal("page", decision.DuplicateOf);
    }
}
