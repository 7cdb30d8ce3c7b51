using System.Text;
using Stemma.Ingest.Formats;
using Stemma.Ingest.Tests.Support;

namespace Stemma.Ingest.Tests.Formats;

/// <summary>Plain text as real people save it: no title line, one long line, blank lines first, CRLF, CR, Windows-1252.</summary>
public sealed class RealPlainTextTests
{
    private const string Lead = "The ferry between Marrow Point and Lisle Island will stop running for three weeks in March while its only slipway is rebuilt, the island council said on Thursday.";

    private const string Second = "Islanders who commute to the mainland will be offered a bus and a chartered boat from the old fish quay, which can only be used at high tide.";

    private const string Third = "Council leader Odile Brancourt said the repairs could not wait another winter because the slipway cracked in two places during the January storms.";

    [Fact]
    public void One_line_article_after_leading_blank_lines_is_read_whole_without_a_title()
    {
        var text = "\n\n  \n\n" + Lead + " " + Second + " " + Third + "\n";
        var article = Reading.Single(Reading.ReadText("spun.txt", text));
        Assert.Null(article.Title);
        Assert.Equal(Lead + " " + Second + " " + Third, article.Body);
        Assert.Equal("The ferry between Marrow Point and Lisle Island will stop running for…", article.DisplayTitle);
    }

    [Fact]
    public void A_byte_order_mark_and_blank_lines_before_a_title_are_skipped()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("\n\nFerry to stop for slipway repairs\n\n" + Lead + "\n\n" + Second + "\n")];
        var article = Reading.Single(ArticleReader.ReadBytes(bytes, "titled.txt"));
        Assert.Equal("Ferry to stop for slipway repairs", article.Title);
        Assert.Equal(Lead + "\n\n" + Second, article.Body);
        Assert.Equal("Ferry to stop for slipway repairs", article.DisplayTitle);
    }

    [Fact]
    public void Untitled_article_of_several_paragraphs_keeps_its_first_paragraph_in_the_body()
    {
        var article = Reading.Single(Reading.ReadText("untitled.txt", Lead + "\n\n" + Second + "\n\n" + Third + "\n"));
        Assert.Null(article.Title);
        Assert.Equal(Lead + "\n\n" + Second + "\n\n" + Third, article.Body);
    }

    [Fact]
    public void A_first_line_that_is_a_200_character_sentence_is_body_not_title()
    {
        var longSentence = "Residents of the three villages along the Carrow estuary have been told to keep sandbags ready until the end of the month because the river is expected to rise again after the weekend rain.";
        Assert.InRange(longSentence.Length, 180, 220);
        var article = Reading.Single(Reading.ReadText("rewrite.txt", longSentence + "\n" + Second + "\n\n" + Third + "\n"));
        Assert.Null(article.Title);
        Assert.StartsWith(longSentence, article.Body, StringComparison.Ordinal);
        Assert.EndsWith(Third, article.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Ferry to stop for slipway repairs", true)]
    [InlineData("Is the island ferry safe?", true)]
    [InlineData("The ferry will stop running in March.", false)]
    [InlineData("the ferry will stop running in March", false)]
    [InlineData("Editor's note: this story was updated", false)]
    [InlineData("Photo: Odile Brancourt/Island Post", false)]
    public void Title_line_rules(string line, bool isTitle) =>
        Assert.Equal(isTitle, PlainTextTitle.IsTitleLine(line, "\n" + Lead + "\n"));

    [Fact]
    public void A_wrapped_first_line_continued_in_lower_case_is_not_a_title()
    {
        Assert.False(PlainTextTitle.IsTitleLine("The ferry between Marrow Point and Lisle Island", "will stop running for three weeks in March.\n"));
    }

    [Fact]
    public void A_first_line_that_opens_the_first_paragraph_is_not_a_title()
    {
        Assert.False(PlainTextTitle.IsTitleLine("The ferry between Marrow Point and Lisle Island", "\nThe ferry between Marrow Point and Lisle Island will stop running in March.\n"));
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void Crlf_and_cr_only_line_ends_read_like_lf(string newline)
    {
        var text = string.Join(newline, "Ferry to stop for slipway repairs", string.Empty, Lead, string.Empty, Second, string.Empty);
        var article = Reading.Single(Reading.ReadText("windows.txt", text));
        Assert.Equal("Ferry to stop for slipway repairs", article.Title);
        Assert.Equal(Lead + "\n\n" + Second, article.Body);
        Assert.DoesNotContain('\r', article.Body);
    }

    [Fact]
    public void Windows_1252_text_decodes_quotes_dashes_and_accents()
    {
        var text = "Caf\u00e9 owner wins appeal\r\n\r\n\u201cWe never doubted it,\u201d said Ren\u00e9e Dufresne \u2013 who has run the caf\u00e9 for 30 years \u2013 on Friday.\r\n";
        var outcome = Assert.Single(ArticleReader.ReadBytes(TextDecoding.Windows1252Encoding.GetBytes(text), "cp1252.txt"));
        Assert.Null(outcome.Error);
        Assert.Equal("Caf\u00e9 owner wins appeal", outcome.Article!.Title);
        Assert.Equal("\u201cWe never doubted it,\u201d said Ren\u00e9e Dufresne \u2013 who has run the caf\u00e9 for 30 years \u2013 on Friday.", outcome.Article.Body);
        Assert.Contains("Windows-1252", outcome.Warning);
    }

    [Fact]
    public void Latin_1_text_decodes_accents()
    {
        var text = "Les p\u00eacheurs de l'\u00eele ont d\u00e9barqu\u00e9 trois tonnes de morue, a d\u00e9clar\u00e9 la coop\u00e9rative.\n";
        var article = Reading.Single(ArticleReader.ReadBytes(Encoding.Latin1.GetBytes(text), "latin1.txt"));
        Assert.Equal(text.Trim(), article.Body);
    }

    [Fact]
    public void A_title_alone_is_kept_as_the_body()
    {
        var article = Reading.Single(Reading.ReadText("short.txt", "Ferry to stop for slipway repairs\n"));
        Assert.Null(article.Title);
        Assert.Equal("Ferry to stop for slipway repairs", article.Body);
    }

    [Fact]
    public void Files_without_words_are_rejected_with_their_reason()
    {
        Assert.Contains("no words", Assert.Single(Reading.ReadText("digits.txt", "12 34 56\n---\n")).Error);
        byte[] garbage = [.. Enumerable.Range(0, 400).Select(i => (byte)(0x80 + ((i * 37) % 128)))];
        Assert.Contains("not text", Assert.Single(ArticleReader.ReadBytes(garbage, "garbage.txt")).Error);
    }

    [Fact]
    public void Untitled_one_paragraph_corpus_is_read_whole_and_only_the_malformed_files_are_rejected()
    {
        using var folder = new TempFolder();
        var random = new Random(15);
        string[] subjects = ["The harbour board", "A village school", "The county library", "Local fishermen", "The river trust", "A bakery on Mill Lane"];
        string[] verbs = ["announced", "postponed", "celebrated", "questioned", "approved", "rejected"];
        string[] objects = ["a new timetable", "the spring fair", "plans for a footbridge", "a rise in parking fees", "the sale of the old pier", "a study of the dunes"];
        for (var i = 0; i < 1000; i++)
        {
            var sentences = Enumerable.Range(0, random.Next(3, 9)).Select(_ =>
                $"{subjects[random.Next(subjects.Length)]} {verbs[random.Next(verbs.Length)]} {objects[random.Next(objects.Length)]} on {random.Next(1, 29)} May, {random.Next(2, 90)} residents said.");
            folder.Write($"a{i:D4}.txt", string.Join(' ', sentences) + "\n");
        }

        var clean = ArticleReader.Read([folder.Path]).ToList();
        Assert.DoesNotContain(clean, outcome => outcome.IsError);
        Assert.Equal(1000, clean.Count(outcome => outcome.Article is { Title: null, Body.Length: > 0 }));

        // One in twenty is replaced by a file that holds no article text: binary, empty, invalid UTF-8, truncated gzip.
        var malformed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 7; i < 1000; i += 20)
        {
            var kind = i / 20 % 4;
            byte[] bytes = kind switch
            {
                0 => [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x02],
                1 => [],
                2 => [.. Enumerable.Range(0, 300).Select(b => (byte)(0x80 + ((b * 53) % 128)))],
                _ => FormatDetectionTests.Gzip(Encoding.UTF8.GetBytes(new string('w', 4000) + " The harbour board met.\n"))[..40],
            };
            var name = kind == 3 ? $"a{i:D4}.txt.gz" : $"a{i:D4}.txt";
            File.Delete(Path.Combine(folder.Path, $"a{i:D4}.txt"));
            folder.Write(name, bytes);
            malformed.Add(name);
        }

        var outcomes = ArticleReader.Read([folder.Path]).ToList();
        var rejected = outcomes.Where(outcome => outcome.IsError).ToList();
        Assert.Equal(50, malformed.Count);
        Assert.Equal(malformed.Order(StringComparer.Ordinal), rejected.Select(outcome => Path.GetFileName(outcome.Source)).Order(StringComparer.Ordinal));
        Assert.All(rejected, outcome => Assert.False(string.IsNullOrWhiteSpace(outcome.Error), outcome.Source));
        Assert.Equal(950, outcomes.Count(outcome => outcome.Article is { Title: null, Body.Length: > 0 }));
    }
}
