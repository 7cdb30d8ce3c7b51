using Stemma.Relate;
using Stemma.Testing.Corpus;

namespace Stemma.Tests.Relate;

public class PairComparerTests
{
    public static TheoryData<CopyOperation, string> ExpectedLabels
    {
        get
        {
            var data = new TheoryData<CopyOperation, string>();
            foreach (var (operation, label) in OperationLabels.Expected)
            {
                data.Add(operation, label);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ExpectedLabels))]
    public void Generated_pairs_get_the_label_of_the_operation_that_made_them(CopyOperation operation, string expected)
    {
        var documents = new SyntheticCorpus(31, OperationLabels.AllOperations).Generate();
        var byId = documents.ToDictionary(d => d.Id);
        var labels = documents
            .Where(d => d.Operation == operation)
            .Select(d => PairComparer.Compare(OperationLabels.SourceOf(d, byId).ToArticle(), d.ToArticle()).Relation)
            .ToList();
        Assert.True(labels.Count >= 5, $"only {labels.Count} {operation} documents");
        var right = labels.Count(l => l == expected);
        Assert.True(right >= 0.95 * labels.Count, $"{operation}: {right}/{labels.Count} labeled {expected}; got {string.Join(", ", labels.GroupBy(l => l).Select(g => $"{g.Key}={g.Count()}"))}");
    }

    /// <summary>
    /// The lead cosine against its plain definition: the distinct content words of each text's first
    /// <see cref="PairComparer.LeadWords"/> words, each with its TF-IDF weight in the whole document, in a cosine summed
    /// in hash order. Leads that repeat their words (a repeated headline) count each word once.
    /// </summary>
    [Fact]
    public void Lead_cosine_is_the_cosine_of_the_distinct_lead_words()
    {
        var documents = new SyntheticCorpus(35, OperationLabels.AllOperations).Generate().Take(60).Select(d => TextFeatures.Create(d.Body)).ToList();
        documents.Add(TextFeatures.Create(string.Join(" ", Enumerable.Repeat("Mayor Smith opened the Springfield bridge on Tuesday.", 12))));
        documents.Add(TextFeatures.Create(string.Join(" ", Enumerable.Repeat("Smith opened the bridge, Mayor Smith said.", 9)) + " Springfield"));
        documents.Add(TextFeatures.Create("the of and"));
        var statistics = TermStatistics.Build(documents);

        (uint[] Terms, float[] Weights) Lead(TextFeatures features)
        {
            var terms = features.Words.Hashes.Take(PairComparer.LeadWords).Where(h => !Lexicon.IsFunctionWord(h)).Distinct().Order().ToArray();
            var idfs = features.Weighted(statistics).Idfs;
            return (terms, [.. terms.Select(t => Array.BinarySearch(features.TermHashes, t) is var k and >= 0 ? features.WeightAt(k, idfs[k]) : 0f)]);
        }

        double Plain(TextFeatures a, TextFeatures b)
        {
            var (x, y) = (Lead(a), Lead(b));
            double dot = 0, normA = 0, normB = 0;
            foreach (var w in x.Weights)
            {
                normA += w * w;
            }

            foreach (var w in y.Weights)
            {
                normB += w * w;
            }

            for (var i = 0; i < x.Terms.Length; i++)
            {
                var j = Array.BinarySearch(y.Terms, x.Terms[i]);
                dot += j >= 0 ? x.Weights[i] * y.Weights[j] : 0;
            }

            return normA == 0 || normB == 0 ? 0 : dot / Math.Sqrt(normA * normB);
        }

        foreach (var a in documents)
        {
            foreach (var b in documents.TakeLast(13))
            {
                Assert.Equal(Plain(a, b), PairComparer.LeadCosine(a, b, statistics));
            }
        }
    }

    [Fact]
    public void Relation_thresholds_decide_the_labels_they_name()
    {
        var documents = new SyntheticCorpus(33, OperationLabels.AllOperations).Generate();
        var byId = documents.ToDictionary(d => d.Id);
        var spun = documents.Where(d => d.Operation == CopyOperation.Spun).Take(8).Select(d => (Source: byId[d.ParentId!].ToArticle(), Copy: d.ToArticle())).ToList();
        var rewrites = documents.Where(d => d.Operation == CopyOperation.Rewrite).Take(8).Select(d => (Source: byId[d.StoryId + "-0"].ToArticle(), Copy: d.ToArticle())).ToList();

        // Defaults: spun copies are spun, rewrites are rewrites.
        Assert.All(spun, p => Assert.Equal(Relations.Spun, PairComparer.Compare(p.Source, p.Copy).Relation));
        Assert.All(rewrites, p => Assert.Equal(Relations.Rewrite, PairComparer.Compare(p.Source, p.Copy).Relation));

        // A substitution rate no spinner reaches, and synonyms never deciding: the same spun copies fall back to edited.
        var noSpinning = RelationThresholds.Default with { SpunSubstitutionRate = 1.01, SynonymDecidesFrom = 1.01 };
        Assert.All(spun, p => Assert.Equal(Relations.Edited, PairComparer.Compare(p.Source, p.Copy, thresholds: noSpinning).Relation));

        // A fact order no retelling reaches and facts no rewrite shares all of: the rewrites become same-event reports.
        var noRewrites = RelationThresholds.Default with { RewriteFactOrder = 1.01, RewriteMinFacts = 1.01 };
        Assert.All(rewrites, p => Assert.Equal(Relations.SameEvent, PairComparer.Compare(p.Source, p.Copy, thresholds: noRewrites).Relation));
    }

    [Fact]
    public void Unrelated_articles_are_labeled_unrelated_and_score_low()
    {
        var documents = new SyntheticCorpus(32, OperationLabels.AllOperations).Generate();
        var unrelated = documents.Where(d => d.Operation == CopyOperation.Unrelated).ToList();
        var others = documents.Where(d => d.Operation != CopyOperation.Unrelated).Take(unrelated.Count).ToList();
        var comparisons = unrelated.Zip(others, (u, o) => PairComparer.Compare(u.ToArticle(), o.ToArticle())).ToList();
        Assert.True(comparisons.Count(c => c.Relation == Relations.Unrelated) >= 0.95 * comparisons.Count);
        Assert.All(comparisons, c => Assert.InRange(c.Similarity, 0, 0.35));
    }

    [Fact]
    public void Similarity_ranks_copies_above_rewrites_above_same_event_above_unrelated()
    {
        var documents = new SyntheticCorpus(33, OperationLabels.AllOperations).Generate();
        var byId = documents.ToDictionary(d => d.Id);
        double Mean(CopyOperation operation) => documents.Where(d => d.Operation == operation)
            .Average(d => PairComparer.Compare(byId[d.ParentId ?? d.StoryId + "-0"].ToArticle(), d.ToArticle()).Similarity);
        var unrelated = documents.Where(d => d.Operation == CopyOperation.Unrelated).ToList();
        var unrelatedMean = unrelated.Zip(unrelated.Skip(1), (x, y) => PairComparer.Compare(x.ToArticle(), y.ToArticle()).Similarity).Average();
        Assert.True(Mean(CopyOperation.Edited) > Mean(CopyOperation.Rewrite));
        Assert.True(Mean(CopyOperation.Rewrite) > Mean(CopyOperation.SameEvent));
        Assert.True(Mean(CopyOperation.SameEvent) > unrelatedMean + 0.2);
    }

    [Fact]
    public void Spun_copy_of_an_edited_copy_keeps_the_changed_figure_and_is_labeled_spun()
    {
        var chain = new SyntheticCorpus(34).GenerateChain("c", CopyOperation.Edited, CopyOperation.Spun);
        var comparison = PairComparer.Compare(chain[1].ToArticle(), chain[2].ToArticle());
        Assert.Equal(Relations.Spun, comparison.Relation);
        var toOriginal = PairComparer.Compare(chain[0].ToArticle(), chain[2].ToArticle());
        Assert.Equal(Relations.Spun, toOriginal.Relation);
        foreach (var (from, to) in chain[1].ChangedFigures.Where(c => c.From != c.To))
        {
            Assert.Contains(toOriginal.Changes, c => c.Kind == ChangeKind.Figure && c.Before!.Contains(from.TrimStart('$'), StringComparison.Ordinal) && c.After!.Contains(to.TrimStart('$'), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Accents_written_composed_or_as_combining_marks_are_the_same_text()
    {
        // One generated article with accented vowels, stored once composed (NFC) and once decomposed (NFD), as files
        // from different systems carry it: the same text to a reader, and so to the comparison.
        var source = new SyntheticCorpus(35).Generate()[0].ToArticle();
        var accented = source.Body.Replace("a", "\u00E1", StringComparison.Ordinal).Replace("e", "\u00E8", StringComparison.Ordinal);
        var composed = source with { Id = "composed", Body = accented.Normalize(System.Text.NormalizationForm.FormC) };
        var decomposed = source with { Id = "decomposed", Body = accented.Normalize(System.Text.NormalizationForm.FormD) };
        Assert.NotEqual(composed.Body, decomposed.Body);

        var comparison = PairComparer.Compare(composed, decomposed);
        Assert.Equal(Relations.Identical, comparison.Relation);
        Assert.Equal(1.0, comparison.Similarity, 3);
    }
}

public class CompareAllTests
{
    [Fact]
    public void Pairs_compared_together_keep_their_order_and_labels()
    {
        var documents = new SyntheticCorpus(35, new CorpusOptions { Stories = 20, UnrelatedArticles = 20, CopyOfCopyRate = 0, RewritesPerStory = 1, SameEventReportsPerStory = 1, Operations = [CopyOperation.Edited, CopyOperation.Spun] }).Generate();
        var byId = documents.ToDictionary(d => d.Id);
        var unrelated = documents.Where(d => d.Operation == CopyOperation.Unrelated).ToList();
        var pairs = documents.Where(d => d.Operation is not (CopyOperation.Original or CopyOperation.Unrelated))
            .Select(d => (Parent: byId[d.ParentId ?? d.StoryId + "-0"], Child: d))
            .Concat(unrelated.Zip(unrelated.Skip(1), (x, y) => (Parent: x, Child: y)))
            .ToList();
        var expected = pairs.Select(p => p.Child.Operation switch
        {
            CopyOperation.Edited => Relations.Edited,
            CopyOperation.Spun => Relations.Spun,
            CopyOperation.Rewrite => Relations.Rewrite,
            CopyOperation.SameEvent => Relations.SameEvent,
            _ => Relations.Unrelated,
        }).ToList();

        var results = PairComparer.CompareAll([.. pairs.Select(p => (p.Parent.ToArticle(), p.Child.ToArticle()))]);
        Assert.Equal(pairs.Count, results.Count);
        var right = results.Zip(expected).Count(x => x.First.Relation == x.Second);
        Assert.True(right >= 0.95 * pairs.Count, $"{right}/{pairs.Count} labels right");
        Assert.True(results.Zip(expected).Where(x => x.Second == Relations.Unrelated).All(x => x.First.Similarity < 0.3));
    }
}

public class FactOrderTests
{
    // The textbook dynamic programme, as the reference for the bit-parallel version.
    private static int ReferenceLcs(uint[] a, uint[] b)
    {
        var table = new int[a.Length + 1, b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                table[i, j] = a[i - 1] == b[j - 1] ? table[i - 1, j - 1] + 1 : Math.Max(table[i - 1, j], table[i, j - 1]);
            }
        }

        return table[a.Length, b.Length];
    }

    [FsCheck.Xunit.Property(MaxTest = 400)]
    public bool Bit_parallel_longest_common_subsequence_equals_the_dynamic_programme(int seed)
    {
        var random = new Random(seed);
        // Lengths across word boundaries (63, 64, 65, 128...) and small alphabets, so repeats are common.
        var alphabet = random.Next(1, 12);
        var a = Enumerable.Range(0, random.Next(0, 200)).Select(_ => (uint)random.Next(alphabet)).ToArray();
        var b = Enumerable.Range(0, random.Next(0, 200)).Select(_ => (uint)random.Next(alphabet)).ToArray();
        return PairComparer.LongestCommonSubsequence(a, b) == ReferenceLcs(a, b);
    }

    [Fact]
    public void Longest_common_subsequence_of_known_sequences()
    {
        Assert.Equal(4, PairComparer.LongestCommonSubsequence([1, 2, 3, 4, 5], [1, 9, 2, 3, 9, 5]));
        Assert.Equal(0, PairComparer.LongestCommonSubsequence([1, 2], [3, 4]));
        Assert.Equal(0, PairComparer.LongestCommonSubsequence([], [3, 4]));
        var long64 = Enumerable.Range(0, 130).Select(i => (uint)i).ToArray();
        Assert.Equal(130, PairComparer.LongestCommonSubsequence(long64, long64));
    }
}

public class TextFeaturesTests
{
    [Fact]
    public void Word_weight_is_the_sum_of_every_words_weight()
    {
        var documents = new SyntheticCorpus(77, new CorpusOptions { Stories = 5, UnrelatedArticles = 5 }).Generate();
        var features = documents.Select(d => TextFeatures.Create(d.Body + " On 12 March the mayor said: \"we will rebuild the pier\".")).ToList();
        var statistics = TermStatistics.Build(features);
        foreach (var document in features)
        {
            var idfs = document.Weighted(statistics).Idfs;
            double expected = 0;
            for (var w = 0; w < document.Words.Count; w++)
            {
                var k = Array.BinarySearch(document.TermHashes, document.Words.HashAt(w));
                expected += k >= 0 ? idfs[k] : TextFeatures.FunctionWordWeight;
            }

            Assert.Equal(expected, document.Weighted(statistics).WordWeight, 3);
        }
    }

    [Fact]
    public void Names_figures_dates_and_quotations_are_found_and_weighted_as_facts()
    {
        var features = TextFeatures.Create("Officials said on Tuesday that the Harbour Board will spend $2.5 billion. \"We will rebuild the pier,\" said Mayor Ana Lopez on 12 March.");
        uint Hash(string word) => Stemma.Align.TokenizedText.HashFolded(word);
        Assert.Contains(Hash("harbour"), features.Entities);
        Assert.Contains(Hash("lopez"), features.Entities);
        Assert.DoesNotContain(Hash("officials"), features.Entities);
        Assert.Contains(Hash("2.5"), features.Numbers);
        Assert.Contains(Hash("tuesday"), features.Dates);
        Assert.Single(features.Quotes);
        Assert.True(features.IsFact(Hash("lopez")));
        Assert.False(features.IsFact(Hash("pier")));
        Assert.Equal([Hash("harbour"), Hash("board"), Hash("2.5"), Hash("mayor"), Hash("ana"), Hash("lopez"), Hash("12")], features.FactSequence);
    }
}

public class WrappingTests
{
    [Fact]
    public void The_same_body_in_different_wrapping_is_a_copy_and_in_the_same_wrapping_identical()
    {
        var original = new SyntheticCorpus(81).GenerateChain("w", CopyOperation.Verbatim)[0].ToArticle();
        var repost = original with { Id = "repost", Attribution = "Harbour View News" };
        var syndicated = original with { Id = "syndicated", Annotations = [new Annotation(AnnotationKind.ReadMore, "READ MORE: Ferry timetable changes", 2)] };
        var twin = original with { Id = "twin" };

        Assert.Equal(Relations.Copy, PairComparer.Compare(original, repost).Relation);
        Assert.Equal(Relations.Copy, PairComparer.Compare(original, syndicated).Relation);
        Assert.Equal(Relations.Identical, PairComparer.Compare(original, twin).Relation);

        var placed = new StoryAnalyzer().Analyze([original, repost, syndicated, twin], []).Documents.ToDictionary(p => p.Id);
        Assert.Equal(Relations.Copy, placed["repost"].Relation);
        Assert.Equal(Relations.Identical, placed["twin"].Relation);
    }
}
