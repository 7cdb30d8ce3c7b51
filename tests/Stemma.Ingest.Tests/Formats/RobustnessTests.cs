using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Stemma.Ingest.Tests.Support;

namespace Stemma.Ingest.Tests.Formats;

/// <summary>Whatever the bytes, reading yields outcomes and never throws.</summary>
public sealed class RobustnessTests
{
    private static readonly string[] Names = ["x.txt", "x.html", "x.json", "x.jsonl", "x.xml", "x.warc", "x.warc.gz", "x.gz", "x"];

    [Property(MaxTest = 300)]
    public Property Random_bytes_never_throw(byte[] bytes, PositiveInt nameIndex)
    {
        var name = Names[nameIndex.Get % Names.Length];
        var outcomes = ArticleReader.ReadBytes(bytes, name).ToList();
        return (outcomes.Count > 0 && outcomes.All(o => (o.Article is not null || o.Error is not null) && !IsUnexpected(o))).ToProperty();
    }

    [Property(MaxTest = 200)]
    public Property Random_text_with_format_markers_never_throws(NonNull<string> text, PositiveInt marker)
    {
        string[] prefixes = ["WARC/1.1\r\nContent-Length: 5\r\n\r\n", "<rss><channel><item>", "{\"content\":{\"rendered\":", "[", "<html><article><p>", "{\"id\":1,\"text\":"];
        var content = prefixes[marker.Get % prefixes.Length] + text.Get;
        var outcomes = ArticleReader.ReadBytes(System.Text.Encoding.UTF8.GetBytes(content), "y.dat").ToList();
        return (outcomes.Count > 0 && !outcomes.Any(IsUnexpected)).ToProperty();
    }

    [Fact]
    public void Every_truncation_and_corruption_of_the_samples_is_handled()
    {
        var folder = Path.Combine(Reading.RepoRoot(), "samples", "formats");
        var random = new Random(7);
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            var bytes = File.ReadAllBytes(file);
            var name = Path.GetFileName(file);
            for (var cut = 0; cut < bytes.Length; cut += 61)
            {
                AssertHandled(ArticleReader.ReadBytes(bytes[..cut], name).ToList());
                var damaged = (byte[])bytes.Clone();
                damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
                AssertHandled(ArticleReader.ReadBytes(damaged, name).ToList());
            }
        }
    }

    /// <summary>An exception type the readers do not expect means a bug, even though it was turned into an outcome.</summary>
    private static bool IsUnexpected(ReadOutcome outcome) => outcome.Error?.StartsWith("could not be read (", StringComparison.Ordinal) == true;

    private static void AssertHandled(List<ReadOutcome> outcomes)
    {
        Assert.NotEmpty(outcomes);
        Assert.DoesNotContain(outcomes, outcome => IsUnexpected(outcome));
    }
}
