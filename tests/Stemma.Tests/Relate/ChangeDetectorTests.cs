using FsCheck.Xunit;
using Stemma.Relate;
using Stemma.Testing.Corpus;

namespace Stemma.Tests.Relate;

public class ChangeDetectorTests
{
    private const string Original =
        "The Lakeside Water Authority approved a $2 billion plan on 12 March to replace ageing pipes under Marlow, its chair Helen Okafor said.\n\n" +
        "Okafor told reporters the work would \"end the summer shortages for good\" once the first section was finished.\n\n" +
        "Engineers estimate that 30 percent of treated water is lost through leaks before it reaches homes in the northern districts.";

    [Fact]
    public void A_changed_amount_is_reported_whole_with_its_currency_and_unit()
    {
        var edited = Original.Replace("$2 billion", "$2.5 billion", StringComparison.Ordinal);
        var change = Assert.Single(ChangeDetector.Detect(Original, edited));
        Assert.Equal(ChangeKind.Figure, change.Kind);
        Assert.Equal("$2 billion", change.Before);
        Assert.Equal("$2.5 billion", change.After);
        Assert.Equal("$2.5 billion", edited[change.InB!.Value.Start..change.InB.Value.End]);
    }

    [Fact]
    public void Percent_date_quote_and_name_changes_get_their_kinds()
    {
        var edited = Original
            .Replace("30 percent", "35 percent", StringComparison.Ordinal)
            .Replace("12 March", "12 April", StringComparison.Ordinal)
            .Replace("summer shortages", "summer droughts", StringComparison.Ordinal)
            .Replace("chair Helen Okafor", "chair Helen Mbeki", StringComparison.Ordinal);
        var changes = ChangeDetector.Detect(Original, edited);
        Assert.Contains(changes, c => c.Kind == ChangeKind.Figure && c.Before == "30 percent" && c.After == "35 percent");
        Assert.Contains(changes, c => c.Kind == ChangeKind.Date && c.Before == "March" && c.After == "April");
        Assert.Contains(changes, c => c.Kind == ChangeKind.Quote && c.Before == "shortages" && c.After == "droughts");
        Assert.Contains(changes, c => c.Kind == ChangeKind.Entity && c.Before == "Okafor" && c.After == "Mbeki");
        Assert.Equal(4, changes.Count);
    }

    [Fact]
    public void Inserted_and_dropped_lines_are_reported_with_their_text()
    {
        var paragraphs = Original.Split("\n\n");
        const string readMore = "READ MORE: Marlow council approves new bus lanes along the seafront";
        var copy = string.Join("\n\n", paragraphs[0], readMore, paragraphs[1]);
        var changes = ChangeDetector.Detect(Original, copy);
        Assert.Equal(2, changes.Count);
        var inserted = changes.Single(c => c.Kind == ChangeKind.Inserted);
        Assert.Equal(readMore, inserted.After);
        var dropped = changes.Single(c => c.Kind == ChangeKind.Dropped);
        Assert.Equal(paragraphs[2].TrimEnd('.'), dropped.Before);
    }

    [Fact]
    public void Every_figure_the_generator_changed_is_found()
    {
        var generator = new SyntheticCorpus(21, new CorpusOptions { Stories = 40, CopyOfCopyRate = 0, Operations = [CopyOperation.Edited] });
        var documents = generator.Generate();
        var byId = documents.ToDictionary(d => d.Id);
        var edits = 0;
        foreach (var copy in documents.Where(d => d.Operation == CopyOperation.Edited))
        {
            var changes = ChangeDetector.Detect(byId[copy.ParentId!].Body, copy.Body);
            // The generator occasionally "changes" a figure to itself (a leading digit that wraps to 0 becomes 7 again): nothing to find.
            foreach (var (from, to) in copy.ChangedFigures.Where(c => c.From != c.To))
            {
                edits++;
                Assert.Contains(changes, c => c.Kind == ChangeKind.Figure && c.Before!.Contains(from.TrimStart('$'), StringComparison.Ordinal) && c.After!.Contains(to.TrimStart('$'), StringComparison.Ordinal));
            }
        }

        Assert.True(edits >= 40, $"only {edits} figure edits generated");
    }

    [Fact]
    public void Every_line_the_generator_inserted_is_found()
    {
        var documents = new SyntheticCorpus(22, new CorpusOptions { Stories = 30, CopyOfCopyRate = 0, Operations = [CopyOperation.Wrapped] }).Generate();
        var byId = documents.ToDictionary(d => d.Id);
        foreach (var copy in documents.Where(d => d.Operation == CopyOperation.Wrapped))
        {
            var inserted = ChangeDetector.Detect(byId[copy.ParentId!].Body, copy.Body).Where(c => c.Kind == ChangeKind.Inserted).Select(c => c.After!).ToList();
            Assert.DoesNotContain(ChangeDetector.Detect(byId[copy.ParentId!].Body, copy.Body), c => c.Kind == ChangeKind.Dropped);
            foreach (var line in copy.InsertedLines)
            {
                // Reported text is word to word: compare without the line's trailing punctuation.
                Assert.True(inserted.Any(text => text.Contains(line.TrimEnd('.', '*', ' ', ')').TrimStart('('), StringComparison.Ordinal)), line + " || " + string.Join(" || ", inserted));
            }
        }
    }

    [Fact]
    public void Analysed_documents_get_the_changes_their_texts_get()
    {
        // The features' path finds each text's quotations only when a changed word asks, and keeps passages as ranges:
        // the same kinds, texts and places as the path over two strings, a quoted word on either side or on both.
        var quotedInB = Original.Replace("the first section was finished", "the first \"section was finished\"", StringComparison.Ordinal)
            .Replace("section was", "stage was", StringComparison.Ordinal);
        var pairs = new List<(string A, string B)>
        {
            (Original, Original.Replace("summer shortages", "summer droughts", StringComparison.Ordinal)),
            (Original, quotedInB),
            (quotedInB, Original),
        };
        var documents = new SyntheticCorpus(23, new CorpusOptions { Stories = 25, CopyOfCopyRate = 0, Operations = [CopyOperation.Edited, CopyOperation.Spun, CopyOperation.Wrapped] }).Generate();
        var byId = documents.ToDictionary(d => d.Id);
        pairs.AddRange(documents.Where(d => d.ParentId is not null).Select(d => (byId[d.ParentId!].Body, d.Body)));

        var quoteChanges = 0;
        foreach (var (a, b) in pairs)
        {
            var (featuresA, featuresB) = (TextFeatures.Create(a), TextFeatures.Create(b));
            var alignment = Stemma.Align.PassageAligner.Default.Align(featuresA.Words, featuresB.Words);
            var fromTexts = ChangeDetector.Detect(a, b, alignment);
            var fromFeatures = ChangeDetector.Detect(featuresA, featuresB, alignment);
            Assert.Equal(fromTexts.Select(c => (c.Kind, c.Before, c.After, c.InA, c.InB)), fromFeatures.Select(c => (c.Kind, c.Before, c.After, c.InA, c.InB)));
            quoteChanges += fromTexts.Count(c => c.Kind == ChangeKind.Quote);
        }

        Assert.True(quoteChanges >= 3, $"only {quoteChanges} quotation changes");

        // A word inside quotation marks on one side only is a changed quotation, whichever side holds the marks.
        Assert.Contains(ChangeDetector.Detect(Original, quotedInB), c => c.Kind == ChangeKind.Quote && c.Before == "section" && c.After == "stage");
        Assert.Contains(ChangeDetector.Detect(quotedInB, Original), c => c.Kind == ChangeKind.Quote && c.Before == "stage" && c.After == "section");
    }

    [Property(MaxTest = 500)]
    public bool Paragraphs_of_a_dropped_tail_are_the_non_blank_runs_between_blank_lines(byte[] codes)
    {
        // Text made of the characters that decide paragraphs: letters, spaces, tabs, line breaks.
        const string alphabet = "ab \n\n\t\r.";
        var text = new string([.. codes.Select(c => alphabet[c % alphabet.Length])]);
        var expected = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length;
        return ChangeDetector.Paragraphs(text) == expected;
    }
}
