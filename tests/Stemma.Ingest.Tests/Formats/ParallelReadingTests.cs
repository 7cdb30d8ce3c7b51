using System.Globalization;
using System.IO.Compression;
using System.Text;
using Stemma.Ingest.Tests.Support;

namespace Stemma.Ingest.Tests.Formats;

/// <summary>Files and JSONL records are read on all cores; what comes out must still be in input order, errors in place.</summary>
public sealed class ParallelReadingTests
{
    private static string Story(int n) =>
        $"Ferry timetable number {n} changes\n\nThe island council said on Monday that crossing {n} would leave at a new hour from next week.\n\n"
        + $"Harbour staff expect {n * 3} more passengers on the early boats once the summer rota begins.\n";

    [Fact]
    public void Many_small_files_come_back_in_path_order_with_each_error_at_its_file()
    {
        using var folder = new TempFolder();
        var expected = new List<(string Name, string? Error)>();
        for (var n = 0; n < 300; n++)
        {
            var name = $"f{n:D3}" + (n % 23 == 5 ? ".csv" : ".txt");
            var text = n % 17 == 3 ? string.Empty : Story(n);
            folder.Write(name, text);
            expected.Add((name, n % 17 == 3 ? "empty file" : n % 23 == 5 ? "is not read as an article" : null));
        }

        var outcomes = Reading.ReadAll(folder.Path);

        Assert.Equal(expected.Select(entry => entry.Name), outcomes.Select(outcome => Path.GetFileName(outcome.Source)));
        for (var i = 0; i < expected.Count; i++)
        {
            if (expected[i].Error is { } error)
            {
                Assert.Contains(error, outcomes[i].Error, StringComparison.Ordinal);
            }
            else
            {
                Assert.Null(outcomes[i].Error);
                Assert.Equal(expected[i].Name, outcomes[i].Article!.Id);
                Assert.Contains($"crossing {int.Parse(expected[i].Name[1..4], CultureInfo.InvariantCulture)} would", outcomes[i].Article!.Body, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Jsonl_records_come_back_in_line_order_with_their_line_numbers()
    {
        var lines = new StringBuilder();
        for (var n = 1; n <= 1500; n++)
        {
            lines.Append(n % 70 == 0 ? "   " : n % 50 == 0 ? "{\"id\": broken" : $"{{\"id\":\"r{n}\",\"text\":\"Record {n} says the ferry leaves at a new hour.\"}}").Append('\n');
        }

        var outcomes = Reading.ReadText("dump.jsonl", lines.ToString());

        var expectedLines = Enumerable.Range(1, 1500).Where(n => n % 70 != 0).ToList();
        Assert.Equal(expectedLines.Count, outcomes.Count);
        for (var i = 0; i < outcomes.Count; i++)
        {
            var n = expectedLines[i];
            if (n % 50 == 0)
            {
                Assert.Equal(n, outcomes[i].Line);
                Assert.Contains("invalid JSON", outcomes[i].Error, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal($"r{n}", outcomes[i].Article!.Id);
            }
        }
    }

    [Fact]
    public void A_truncated_gzip_jsonl_yields_every_record_before_the_cut_then_the_error()
    {
        var lines = new StringBuilder();
        for (var n = 1; n <= 3000; n++)
        {
            lines.Append(CultureInfo.InvariantCulture, $"{{\"id\":\"r{n}\",\"text\":\"Record {n} of the archive: the council met on day {n % 31 + 1} and voted {n % 7} to {n % 5}.\"}}\n");
        }

        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(lines.ToString()));
        }

        var cut = compressed.ToArray()[..(int)(compressed.Length * 3 / 4)];
        var outcomes = ArticleReader.ReadBytes(cut, "dump.jsonl.gz").ToList();

        var articles = outcomes.TakeWhile(outcome => outcome.Article is not null).ToList();
        Assert.InRange(articles.Count, 1000, 2999);
        Assert.Equal(Enumerable.Range(1, articles.Count).Select(n => $"r{n}"), articles.Select(outcome => outcome.Article!.Id));
        var last = Assert.Single(outcomes.Skip(articles.Count));
        Assert.Contains("gzip", last.Error, StringComparison.Ordinal);
    }
    [Fact]
    public void Mapped_items_come_back_in_order_and_a_failing_map_throws_after_every_earlier_item()
    {
        // Items of uneven cost (some slow), mapped by the pool and by the caller, whichever comes first.
        static int Slow(int n)
        {
            if (n % 7 == 0)
            {
                Thread.Sleep(2);
            }

            return n == 250 ? throw new InvalidOperationException("item 250") : n * 2;
        }

        var seen = new List<int>();
        var failure = Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var value in Stemma.Ingest.Formats.OrderedParallel.Map(Enumerable.Range(0, 400), Slow))
            {
                seen.Add(value);
            }
        });

        Assert.Equal("item 250", failure.Message);
        Assert.Equal(Enumerable.Range(0, 250).Select(n => n * 2), seen);
    }

    [Fact]
    public void Stopping_early_waits_for_the_items_in_flight()
    {
        var finished = 0;
        var started = 0;
        foreach (var value in Stemma.Ingest.Formats.OrderedParallel.Map(Enumerable.Range(0, 1000), n =>
        {
            Interlocked.Increment(ref started);
            Thread.Sleep(1);
            Interlocked.Increment(ref finished);
            return n;
        }))
        {
            if (value == 10)
            {
                break;
            }
        }

        // Nothing maps on after the loop has left: every item started has finished, and no more than a window was started.
        var startedAtExit = Volatile.Read(ref started);
        Assert.Equal(startedAtExit, Volatile.Read(ref finished));
        Thread.Sleep(50);
        Assert.Equal(startedAtExit, Volatile.Read(ref started));
        Assert.InRange(startedAtExit, 11, 11 + (16 * Environment.ProcessorCount));
    }
}
