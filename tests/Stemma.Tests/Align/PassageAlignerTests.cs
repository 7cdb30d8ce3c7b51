using FsCheck.Xunit;
using Stemma.Align;

namespace Stemma.Tests.Align;

public class PassageAlignerTests
{
    // Distinct made-up words, so the only shared runs are the ones a test puts there.
    private static List<string> DistinctWords(Random random, int count, string prefix) =>
        [.. Enumerable.Range(0, count).Select(i => prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "x").OrderBy(_ => random.Next())];

    [Fact]
    public void Identical_texts_align_as_one_passage_with_nothing_left_over()
    {
        const string text = "The council approved the plan on Tuesday. It will cost $2 billion over eight years.";
        var alignment = PassageAligner.Default.Align(text, text);
        var span = Assert.Single(alignment.Spans);
        Assert.Equal(new TextRange(0, text.Length - 1), span.A);
        Assert.Equal(span.A, span.B);
        Assert.Empty(alignment.UnalignedA);
        Assert.Empty(alignment.UnalignedB);
        Assert.Equal(1.0, alignment.CoverageA);
    }

    [Property(MaxTest = 150)]
    public bool Inserted_block_is_reported_at_its_exact_offsets(int seed)
    {
        var random = new Random(seed);
        var words = DistinctWords(random, random.Next(20, 120), "w");
        var inserted = DistinctWords(random, random.Next(6, 15), "ins");
        // At an end, or with a passage of at least five words (the shortest the aligner reports) either side.
        var at = random.Next(4) switch { 0 => 0, 1 => words.Count, _ => random.Next(5, words.Count - 4) };
        var a = string.Join(' ', words);
        var withInsertion = words.Take(at).Concat(inserted).Concat(words.Skip(at)).ToList();
        var b = string.Join(' ', withInsertion);
        var insertedText = string.Join(' ', inserted);
        var expectedStart = at == 0 ? 0 : string.Join(' ', words.Take(at)).Length + 1;

        var alignment = PassageAligner.Default.Align(a, b);
        var gap = Assert.Single(alignment.UnalignedB);
        return alignment.UnalignedA.Count == 0
            && gap.Start == expectedStart
            && gap.In(b) == insertedText
            && alignment.Spans.All(s => s.A.In(a) == s.B.In(b))
            && alignment.MatchedWords == words.Count;
    }

    [Property(MaxTest = 150)]
    public bool Reordered_paragraphs_are_aligned_passage_by_passage(int seed)
    {
        var random = new Random(seed);
        var paragraphs = Enumerable.Range(0, random.Next(2, 6)).Select(p => DistinctWords(random, random.Next(8, 40), $"p{p}w")).Select(w => string.Join(' ', w)).ToList();
        var shuffled = paragraphs.OrderBy(_ => random.Next()).ToList();
        var a = string.Join("\n\n", paragraphs);
        var b = string.Join("\n\n", shuffled);

        var alignment = PassageAligner.Default.Align(a, b);
        // Paragraphs that stay neighbours form one passage; every passage is whole paragraphs, the same on both sides.
        return alignment.UnalignedA.Count == 0
            && alignment.UnalignedB.Count == 0
            && alignment.Spans.Count <= paragraphs.Count
            && alignment.Spans.All(s => s.A.In(a) == s.B.In(b) && s.A.In(a).Split("\n\n").All(paragraphs.Contains))
            && alignment.Spans.Sum(s => s.A.In(a).Split("\n\n").Length) == paragraphs.Count;
    }

    [Property(MaxTest = 150)]
    public bool Substituted_words_stay_inside_one_passage_as_differences(int seed)
    {
        var random = new Random(seed);
        var words = DistinctWords(random, random.Next(30, 80), "w");
        var changed = words.ToList();
        var positions = new SortedSet<int>();
        while (positions.Count < 3)
        {
            // Substitutions at least three words apart, away from the ends.
            var p = random.Next(3, words.Count - 3);
            if (positions.All(q => Math.Abs(q - p) >= 3))
            {
                positions.Add(p);
            }
        }

        foreach (var p in positions)
        {
            changed[p] = "sub" + p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var a = string.Join(' ', words);
        var b = string.Join(' ', changed);
        var alignment = PassageAligner.Default.Align(a, b);
        var span = Assert.Single(alignment.Spans);
        return span.Differences.Count == 3
            && span.Differences.Zip(positions).All(x => x.First.A.In(a) == words[x.Second] && x.First.B.In(b) == changed[x.Second])
            && span.MatchedWords == words.Count - 3;
    }

    [Property(MaxTest = 300)]
    public bool Passages_and_unaligned_parts_partition_both_texts(int seed)
    {
        // A tiny vocabulary makes repeats, coincidences and near-misses common.
        var random = new Random(seed);
        string[] vocabulary = ["the", "council", "said", "on", "Tuesday", "$2", "billion", "water", "plan", "Marlow", "“good”", "rose"];
        string Text() => string.Join(random.Next(5) == 0 ? "\n\n" : " ", Enumerable.Range(0, random.Next(0, 60)).Select(_ => vocabulary[random.Next(vocabulary.Length)]));
        var a = Text();
        var b = random.Next(3) == 0 ? a : Text();
        var alignment = PassageAligner.Default.Align(a, b);
        var wordsA = WordCount(a);
        var wordsB = WordCount(b);

        bool Disjoint(IEnumerable<TextRange> ranges, string text) =>
            ranges.OrderBy(r => r.Start).Aggregate((Ok: true, End: -1), (state, r) => (state.Ok && r.Start > state.End && r.Start <= r.End && r.End <= text.Length, r.End)).Ok;

        return Disjoint(alignment.Spans.Select(s => s.A).Concat(alignment.UnalignedA), a)
            && Disjoint(alignment.Spans.Select(s => s.B).Concat(alignment.UnalignedB), b)
            && alignment.Spans.Sum(s => s.WordsA) + alignment.UnalignedA.Sum(r => WordCount(r.In(a))) == wordsA
            && alignment.Spans.Sum(s => s.WordsB) + alignment.UnalignedB.Sum(r => WordCount(r.In(b))) == wordsB
            && alignment.Spans.All(s => s.MatchedWords <= Math.Min(s.WordsA, s.WordsB) && s.MatchedWords >= 1)
            && (a != b || a.Length == 0 || (alignment.UnalignedA.Count == 0 && alignment.MatchedWords == wordsA));
    }

    private static int WordCount(string text) => Stemma.Text.WordTokenizer.Count(text);

    [Fact]
    public void Offsets_point_into_the_original_texts_despite_case_and_quote_style()
    {
        const string a = "Officials said: \u201CWe will rebuild the harbour wall before winter,\u201D adding that Mayor Ruth Allen agreed.";
        const string b = "NEWS. officials said: \"we will rebuild the harbour wall before winter,\" adding that mayor ruth allen agreed.";
        var alignment = PassageAligner.Default.Align(a, b);
        var span = Assert.Single(alignment.Spans);
        Assert.Equal("Officials said: \u201CWe will rebuild the harbour wall before winter,\u201D adding that Mayor Ruth Allen agreed", span.A.In(a));
        Assert.Equal("officials said: \"we will rebuild the harbour wall before winter,\" adding that mayor ruth allen agreed", span.B.In(b));
        Assert.Equal("NEWS", Assert.Single(alignment.UnalignedB).In(b));
    }

    [Fact]
    public void Unrelated_texts_share_no_passage()
    {
        var alignment = PassageAligner.Default.Align(
            "The river flooded three villages after a week of heavy rain in the valley.",
            "Ticket sales for the autumn concert series opened on Monday at the city hall.");
        Assert.Empty(alignment.Spans);
        Assert.Equal(0, alignment.CoverageA);
    }
}
