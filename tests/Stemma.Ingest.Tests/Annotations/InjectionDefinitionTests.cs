using Stemma.Ingest.Annotations;

namespace Stemma.Ingest.Tests.Annotations;

/// <summary>
/// The injected-sentence pass against its definitions written out the plain way: the family keys (each word's characters
/// hashed once for the two pairs it is in) are the hashes of the pairs a scan of the whole body finds; sentences end where
/// the character-by-character rule ends them; the checks (the family's words and each sentence's words in sets a thread
/// reuses) find what counted intersections of plain sets find.
/// </summary>
public sealed class InjectionDefinitionTests
{
    private static readonly string[] OddBodies =
    [
        "The council's plan. It's done! \"Quoted,\" she said.\n\nNext paragraph\nwith a line break. Café naïve Über résumé.\n\n\n   \n\nLast one's end'",
        "Zürich’s mayor’ s  aside\t tab. 123 456 abc1 x.",
        "Extraordinary circumstances notwithstanding, Zürich’s Ölmühle reopened. Twelve (12) workers returned.",
        string.Empty,
        "   ",
    ];

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    public void Family_keys_are_the_pairs_a_scan_of_the_whole_body_finds(int seed)
    {
        var table = new InjectedSentences.WordTable();
        var keys = 0;
        foreach (var body in SentenceSketchTests.Corpus(seed).Select(article => article.Body).Concat(OddBodies))
        {
            var scanned = new ContentWordTests.WordList { Words = [] };
            InjectedSentences.ContentWords(body, table, ref scanned);
            var words = scanned.Words.Select(word => word.Word).ToList();
            var expected = words.Zip(words.Skip(1)).Select(pair => PairKey(pair.First, pair.Second)).Where(key => (key & 3) == 0).Distinct().Order().ToArray();

            Assert.Equal(expected, new InjectedSentences.Parsed(new Article { Id = "x", Body = body }, table).Keys);
            keys += expected.Length;
        }

        Assert.True(keys > 1000, $"{keys} keys");
    }

    /// <summary>The key of a pair of words as defined: FNV-1a (64-bit) over the characters of "a b", then the high bits folded in.</summary>
    private static ulong PairKey(string a, string b)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in a + " " + b)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash ^ (hash >> 29);
    }

    [Fact]
    public void Sentences_end_where_the_character_by_character_rule_ends_them()
    {
        // Sentence marks, closing and opening quotes and brackets, capitals, digits and whitespace of several kinds.
        const string alphabet = "ab AB 19 .!?\"”’)“‘(\n\t\u00A0,x  ..";
        var random = new Random(41);
        var (texts, split) = (0, 0);
        foreach (var text in Enumerable.Range(0, 20000).Select(_ => new string([.. Enumerable.Range(0, random.Next(0, 60)).Select(_ => alphabet[random.Next(alphabet.Length)])])).Concat(OddBodies))
        {
            var expected = PlainSplit(text);

            Assert.Equal(expected, InjectedSentences.SplitSentences(text));
            texts++;
            split += expected.Count >= 3 ? 1 : 0;
        }

        Assert.True(split >= 1000, $"{split} of {texts} texts in three sentences or more");
    }

    [Theory]
    [InlineData(51)]
    [InlineData(52)]
    [InlineData(53)]
    public void The_checks_find_what_plain_sets_find(int seed)
    {
        var articles = SentenceSketchTests.Corpus(seed);
        var table = new InjectedSentences.WordTable();
        var parsed = articles.Select(article => new InjectedSentences.Parsed(article, table)).ToArray();
        var families = InjectedSentences.FindFamilyMembers([.. parsed.Select(article => article.Keys)], [.. articles.Select(article => article.Id)], InjectionOptions.Default);

        var (checkedArticles, found) = (0, 0);
        for (var index = 0; index < articles.Count; index++)
        {
            if (families[index] is not { Length: > 0 } members)
            {
                continue;
            }

            var family = members.Select(member => parsed[member]).ToArray();
            var expected = PlainFindInjected(parsed[index], family, InjectionOptions.Default);

            Assert.Equal(expected, InjectedSentences.FindInjected(parsed[index], family, InjectionOptions.Default));
            checkedArticles++;
            found += expected.Count > 0 ? 1 : 0;
        }

        Assert.True(found >= 5 && checkedArticles > 2 * found, $"{found} of {checkedArticles} articles with injections");
    }

    /// <summary>The sentence split as a walk over every character: at each run of whitespace, whether it ends a sentence.</summary>
    private static List<string> PlainSplit(string paragraph)
    {
        var sentences = new List<string>();
        var start = 0;
        for (var i = 1; i < paragraph.Length; i++)
        {
            if (!char.IsWhiteSpace(paragraph[i]))
            {
                continue;
            }

            var end = i - 1;
            var last = paragraph[end] is '"' or '”' or '’' or ')' && end > 0 ? paragraph[end - 1] : paragraph[end];
            var next = i;
            while (next < paragraph.Length && char.IsWhiteSpace(paragraph[next]))
            {
                next++;
            }

            var first = next < paragraph.Length && paragraph[next] is '"' or '“' or '‘' or '(' && next + 1 < paragraph.Length ? paragraph[next + 1] : next < paragraph.Length ? paragraph[next] : ' ';
            if (last is '.' or '!' or '?' && (char.IsUpper(first) || char.IsDigit(first)))
            {
                Add(start, i);
                start = next;
            }

            i = next - 1;
        }

        Add(start, paragraph.Length);
        return sentences;

        void Add(int from, int to)
        {
            var text = paragraph[from..to].Trim();
            if (text.Length > 0)
            {
                sentences.Add(text.Replace('\n', ' '));
            }
        }
    }

    /// <summary>
    /// The checks of <see cref="InjectedSentences.FindInjected"/> with plain sets: the family's words as one set, each best
    /// match by counting the words a member's sentence shares with the sentence, every match worked out afresh.
    /// </summary>
    private static List<(int Paragraph, int Sentence)> PlainFindInjected(InjectedSentences.Parsed article, InjectedSentences.Parsed[] members, InjectionOptions options)
    {
        var sentences = article.Sentences;
        if (sentences.Length < 3)
        {
            return [];
        }

        var words = sentences.Select(sentence => sentence.Words.ToArray()).ToArray();
        var familyWords = members.SelectMany(member => member.Sentences.SelectMany(sentence => sentence.Words.ToArray())).ToHashSet();
        int Best(int i, InjectedSentences.Parsed member)
        {
            if (words[i].Length < 3)
            {
                return -1;
            }

            var (best, score) = member.Sentences
                .Select((sentence, at) => (At: at, Score: sentence.Words.ToArray().Intersect(words[i]).Count() / (double)Math.Max(1, Math.Min(words[i].Length, sentence.WordCount))))
                .Where(pair => pair.Score > 0)
                .OrderByDescending(pair => pair.Score)
                .ThenBy(pair => pair.At)
                .FirstOrDefault((-1, 0.0));
            return score >= options.MinSentenceMatch ? best : -1;
        }

        var found = new List<InjectedSentences.Verdict.Candidate>();
        for (var i = 1; i < sentences.Length - 1; i++)
        {
            var neighbours = words[i].Count(word => words[i - 1].Contains(word) || words[i + 1].Contains(word));
            if (words[i].Length < 3 || neighbours > options.MaxNeighbourSharedWords
                || words[i].Count(familyWords.Contains) > options.MaxFamilyVocabularyShare * words[i].Length
                || members.Any(member => Best(i, member) >= 0))
            {
                continue;
            }

            var agreeing = members.Where(member => Best(i - 1, member) >= 0 && Best(i + 1, member) == Best(i - 1, member) + 1 && !(member.Date > article.Date)).ToList();
            if (agreeing.Count > 0)
            {
                found.Add(new InjectedSentences.Verdict.Candidate(i, sentences[i].Paragraph, sentences[i].Index, IfClickBait: agreeing.Count == 1 && !agreeing.Exists(member => member.Date < article.Date)));
            }
        }

        if (found.Count == 0)
        {
            return [];
        }

        var countable = words.Count(sentence => sentence.Length >= 3);
        var matched = Enumerable.Range(0, sentences.Length).Count(i => words[i].Length >= 3 && members.Any(member => Best(i, member) >= 0));
        return new InjectedSentences.Verdict(found, countable, matched).Decide(article.IsClickBait, options);
    }
}
