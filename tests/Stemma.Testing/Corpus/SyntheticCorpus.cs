using System.Globalization;
using System.Text;

namespace Stemma.Testing.Corpus;

/// <summary>How a generated document was made from its parent.</summary>
public enum CopyOperation
{
    /// <summary>The first version of a story.</summary>
    Original,
    /// <summary>Same body, nothing changed.</summary>
    Verbatim,
    /// <summary>Same body with lines inserted: read-more links, photo credits, repeated title, comment-form footer, attribution.</summary>
    Wrapped,
    /// <summary>A contiguous 45-75% of the parent's sentences.</summary>
    Excerpt,
    /// <summary>Parent with one to three figures changed and one sentence reworded.</summary>
    Edited,
    /// <summary>Parent with 10-20% of its sentences dropped.</summary>
    SentenceDrop,
    /// <summary>About a quarter of the words swapped for synonyms, order kept.</summary>
    Spun,
    /// <summary>Every sentence reworded: same names, figures and dates, little shared phrasing.</summary>
    Rewrite,
    /// <summary>An independent report of the same event: same names and figures, its own sentences.</summary>
    SameEvent,
    /// <summary>An article about something else.</summary>
    Unrelated,
}

/// <summary>One generated article with its ground truth.</summary>
public sealed record GeneratedDocument(
    string Id,
    string Title,
    string Body,
    DateTimeOffset Date,
    string Site,
    string FamilyId,
    string StoryId,
    string? ParentId,
    CopyOperation Operation,
    IReadOnlyList<string> InsertedLines,
    IReadOnlyList<(string From, string To)> ChangedFigures,
    string? CreditedSource)
{
    public Article ToArticle() => new()
    {
        Id = Id,
        Title = Title,
        Body = Body,
        Date = Date,
        Site = Site,
        Format = "txt",
    };

    /// <summary>The document as a .txt file: title line, then body.</summary>
    public string ToTextFile() => Title + "\n" + Body + "\n";
}

/// <summary>Which operations to use for copies and how many documents to make.</summary>
public sealed record CorpusOptions
{
    public int Stories { get; init; } = 20;
    public int MinCopies { get; init; } = 2;
    public int MaxCopies { get; init; } = 5;
    public int UnrelatedArticles { get; init; } = 20;
    public int MinSentences { get; init; } = 14;
    public int MaxSentences { get; init; } = 36;

    /// <summary>Probability that a copy is made from an earlier copy rather than from the original.</summary>
    public double CopyOfCopyRate { get; init; } = 0.3;

    /// <summary>Copy operations to draw from; the foundation's defaults are the near-duplicate ones.</summary>
    public IReadOnlyList<CopyOperation> Operations { get; init; } =
        [CopyOperation.Verbatim, CopyOperation.Wrapped, CopyOperation.Excerpt, CopyOperation.Edited, CopyOperation.SentenceDrop];

    /// <summary>Per story, how many rewrites and independent reports to add (they join the story, not the family).</summary>
    public int RewritesPerStory { get; init; }
    public int SameEventReportsPerStory { get; init; }
}

/// <summary>
/// Generates news-like articles and copies of them with known ground truth: which document copies which, by what operation.
/// Words are drawn Zipf-like from English function words and a large made-up vocabulary, so unrelated articles share
/// common short phrases (as real news does) but not whole passages.
/// </summary>
public sealed class SyntheticCorpus
{
    private static readonly string[] FunctionWords =
        ["the", "of", "and", "to", "in", "a", "that", "for", "on", "was", "with", "said", "is", "by", "at", "as", "from", "it", "has", "have", "were", "be", "this", "an", "will", "after", "their", "which", "but", "not"];

    private static readonly string[] Syllables =
        ["ka", "lo", "ren", "mi", "sta", "dor", "vel", "an", "tri", "po", "shen", "ul", "mar", "bi", "ces", "go", "ath", "ri", "von", "de", "lu", "nor", "pha", "qui", "sel", "to", "wen", "ya", "zor", "est"];

    private static readonly string[] Sites = ["dailyharbor.example", "metrowire.example", "valleypost.example", "newsroundup.example", "thecourier.example", "feedfarm.example", "citybeat.example", "coastnews.example"];

    private readonly Random random;
    private readonly string[] vocabulary;
    private readonly Dictionary<string, string> synonyms = new(StringComparer.Ordinal);
    private readonly CorpusOptions options;
    private readonly DateTimeOffset epoch = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public SyntheticCorpus(int seed, CorpusOptions? options = null)
    {
        random = new Random(seed);
        this.options = options ?? new CorpusOptions();
        vocabulary = MakeVocabulary(6000);
        for (var i = 0; i + 1 < vocabulary.Length; i += 2)
        {
            synonyms[vocabulary[i]] = vocabulary[i + 1];
            synonyms[vocabulary[i + 1]] = vocabulary[i];
        }
    }

    /// <summary>Generates the corpus: stories with their copies, then unrelated articles, shuffled.</summary>
    public IReadOnlyList<GeneratedDocument> Generate()
    {
        var documents = new List<GeneratedDocument>();
        for (var s = 0; s < options.Stories; s++)
        {
            documents.AddRange(GenerateStory($"s{s:D4}"));
        }

        for (var u = 0; u < options.UnrelatedArticles; u++)
        {
            var id = $"u{u:D4}";
            var facts = NewFacts();
            var sentences = NewSentences(facts, random.Next(options.MinSentences, options.MaxSentences + 1));
            documents.Add(new GeneratedDocument(id, Headline(facts), Layout(sentences), epoch.AddHours(random.Next(0, 2000)), Pick(Sites), id, id, null, CopyOperation.Unrelated, [], [], null));
        }

        return [.. documents.OrderBy(_ => random.Next())];
    }

    /// <summary>
    /// One story as a chain: an original, then each operation applied to the previous version (e.g. Edited then Spun gives
    /// a spun copy of an edited copy). Ground truth as in <see cref="Generate"/>; documents in chain order.
    /// </summary>
    public IReadOnlyList<GeneratedDocument> GenerateChain(string storyId, params CopyOperation[] operations)
    {
        ArgumentNullException.ThrowIfNull(storyId);
        ArgumentNullException.ThrowIfNull(operations);
        var facts = NewFacts();
        var sentences = NewSentences(facts, random.Next(options.MinSentences, options.MaxSentences + 1));
        var originalSite = Pick(Sites);
        var versions = new List<Version> { new($"{storyId}-0", Headline(facts), sentences, epoch.AddHours(random.Next(0, 2000)), originalSite, null, CopyOperation.Original, [], [], null) };
        for (var c = 0; c < operations.Length; c++)
        {
            versions.Add(Derive($"{storyId}-{c + 1}", versions[^1], operations[c], originalSite));
        }

        return [.. versions.Select(v => v.ToDocument(versions[0].Id, storyId, Layout))];
    }

    private IEnumerable<GeneratedDocument> GenerateStory(string storyId)
    {
        var facts = NewFacts();
        var sentences = NewSentences(facts, random.Next(options.MinSentences, options.MaxSentences + 1));
        var date = epoch.AddHours(random.Next(0, 2000));
        var originalSite = Pick(Sites);
        var original = new Version($"{storyId}-0", Headline(facts), sentences, date, originalSite, null, CopyOperation.Original, [], [], null);
        var versions = new List<Version> { original };
        var copies = random.Next(options.MinCopies, options.MaxCopies + 1);
        for (var c = 1; c <= copies; c++)
        {
            var parent = versions.Count > 1 && random.NextDouble() < options.CopyOfCopyRate ? versions[random.Next(1, versions.Count)] : original;
            var operation = options.Operations[random.Next(options.Operations.Count)];
            versions.Add(Derive($"{storyId}-{c}", parent, operation, originalSite));
        }

        var familyId = original.Id;
        foreach (var v in versions)
        {
            yield return v.ToDocument(familyId, storyId, Layout);
        }

        for (var r = 0; r < options.RewritesPerStory; r++)
        {
            var id = $"{storyId}-r{r}";
            var reworded = sentences.Select(Reword).ToList();
            yield return new GeneratedDocument(id, Reword(original.Title), Layout(reworded), date.AddHours(random.Next(2, 48)), Pick(Sites), id, storyId, null, CopyOperation.Rewrite, [], [], null);
        }

        for (var e = 0; e < options.SameEventReportsPerStory; e++)
        {
            var id = $"{storyId}-e{e}";
            var own = NewSentences(facts, random.Next(options.MinSentences, options.MaxSentences + 1));
            yield return new GeneratedDocument(id, Headline(facts), Layout(own), date.AddHours(random.Next(-6, 24)), Pick(Sites), id, storyId, null, CopyOperation.SameEvent, [], [], null);
        }
    }

    private Version Derive(string id, Version parent, CopyOperation operation, string originalSite)
    {
        var date = parent.Date.AddHours(random.Next(1, 72));
        var site = Pick(Sites);
        var sentences = parent.Sentences.ToList();
        var inserted = new List<string>();
        var changed = new List<(string, string)>();
        string? credited = null;
        switch (operation)
        {
            case CopyOperation.Verbatim:
                break;
            case CopyOperation.Wrapped:
                credited = originalSite;
                inserted.Add(parent.Title);
                inserted.Add($"READ MORE: {Headline(NewFacts())}");
                inserted.Add($"({Name()} {Name()}/{Capitalize(Word())} via {Capitalize(Word())})");
                inserted.Add("Leave a Reply. Your email address will not be published. Required fields are marked *");
                inserted.Add($"This post appeared first on {originalSite}");
                for (var i = 0; i < inserted.Count; i++)
                {
                    var position = i == 0 ? 0 : i == inserted.Count - 1 ? sentences.Count : random.Next(1, sentences.Count);
                    sentences.Insert(Math.Min(position, sentences.Count), "\n" + inserted[i] + "\n");
                }

                break;
            case CopyOperation.Excerpt:
                var keep = Math.Max(3, (int)Math.Round(sentences.Count * (0.45 + (random.NextDouble() * 0.30))));
                var start = random.Next(0, Math.Max(1, Math.Min(sentences.Count - keep, sentences.Count / 4) + 1));
                sentences = sentences.GetRange(start, Math.Min(keep, sentences.Count - start));
                break;
            case CopyOperation.Edited:
                var edits = random.Next(1, 4);
                for (var e = 0; e < edits; e++)
                {
                    var index = sentences.FindIndex(random.Next(sentences.Count), s => FigureIn(s) is not null);
                    if (index < 0)
                    {
                        index = sentences.FindIndex(s => FigureIn(s) is not null);
                    }

                    if (index >= 0 && FigureIn(sentences[index]) is { } figure && !changed.Any(c => c.Item2 == figure))
                    {
                        var replacement = OtherFigure(figure);
                        sentences[index] = sentences[index].Replace(figure, replacement, StringComparison.Ordinal);
                        changed.Add((figure, replacement));
                    }
                }

                var reworded = random.Next(sentences.Count);
                sentences[reworded] = Reword(sentences[reworded]);
                break;
            case CopyOperation.SentenceDrop:
                var drops = Math.Max(1, (int)(sentences.Count * (0.10 + (random.NextDouble() * 0.10))));
                for (var d = 0; d < drops && sentences.Count > 3; d++)
                {
                    sentences.RemoveAt(random.Next(sentences.Count));
                }

                break;
            case CopyOperation.Spun:
                sentences = [.. sentences.Select(s => Spin(s, 0.25))];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation, "not a copy operation");
        }

        return new Version(id, operation == CopyOperation.Spun ? Spin(parent.Title, 0.25) : parent.Title, sentences, date, site, parent.Id, operation, inserted, changed, credited);
    }

    /// <summary>Replaces about <paramref name="rate"/> of the vocabulary words with their synonyms.</summary>
    public string Spin(string sentence, double rate)
    {
        var words = sentence.Split(' ');
        for (var i = 0; i < words.Length; i++)
        {
            var core = words[i].TrimEnd('.', ',');
            if (synonyms.TryGetValue(core, out var synonym) && random.NextDouble() < rate * 1.6)
            {
                words[i] = synonym + words[i][core.Length..];
            }
        }

        return string.Join(' ', words);
    }

    /// <summary>Rewords a sentence: keeps names and figures, replaces most other words and changes the order of clauses.</summary>
    private string Reword(string sentence)
    {
        var words = sentence.TrimEnd('.').Split(' ');
        var kept = words.Where(w => w.Length > 0 && (char.IsUpper(w[0]) || char.IsDigit(w[0]) || w[0] == '$')).ToList();
        var builder = new List<string>();
        var length = Math.Max(8, words.Length + random.Next(-3, 4));
        var keptIndex = 0;
        for (var i = 0; i < length; i++)
        {
            if (keptIndex < kept.Count && random.NextDouble() < 0.3)
            {
                builder.Add(kept[keptIndex++]);
            }
            else
            {
                builder.Add(random.NextDouble() < 0.35 ? Pick(FunctionWords) : Word());
            }
        }

        builder.AddRange(kept.Skip(keptIndex));
        var text = string.Join(' ', builder);
        return char.ToUpperInvariant(text[0]) + text[1..] + ".";
    }

    private sealed record Facts(string Person, string Organization, string Place, string[] Figures, string Month);

    private Facts NewFacts() => new(
        $"{Name()} {Name()}",
        $"{Capitalize(Word())} {Capitalize(Word())} {Pick(["Council", "Authority", "Group", "Board", "Institute"])}",
        Capitalize(Word()),
        [.. Enumerable.Range(0, 6).Select(_ => NewFigure())],
        Pick(["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]));

    private List<string> NewSentences(Facts facts, int count)
    {
        var sentences = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var words = new List<string>();
            var length = random.Next(12, 26);
            for (var w = 0; w < length; w++)
            {
                words.Add(random.NextDouble() < 0.42 ? Pick(FunctionWords) : Word());
            }

            // Most sentences carry a fact: a name, a figure, a place or a date.
            switch (random.Next(5))
            {
                case 0: words.Insert(random.Next(words.Count), facts.Person); break;
                case 1: words.Insert(random.Next(words.Count), facts.Figures[random.Next(facts.Figures.Length)]); break;
                case 2: words.Insert(random.Next(words.Count), "in " + facts.Place); break;
                case 3: words.Insert(random.Next(words.Count), $"the {facts.Organization}"); break;
                default: words.Insert(random.Next(words.Count), $"on {random.Next(1, 29)} {facts.Month}"); break;
            }

            var text = string.Join(' ', words);
            sentences.Add(char.ToUpperInvariant(text[0]) + text[1..] + ".");
        }

        return sentences;
    }

    /// <summary>Sentences into paragraphs of one to four sentences; inserted lines (marked by a leading newline) stand alone.</summary>
    private static string Layout(IReadOnlyList<string> sentences)
    {
        var builder = new StringBuilder();
        var inParagraph = 0;
        foreach (var sentence in sentences)
        {
            if (sentence.StartsWith('\n'))
            {
                builder.Append(builder.Length > 0 ? "\n\n" : string.Empty).Append(sentence.Trim());
                inParagraph = 0;
                continue;
            }

            if (inParagraph == 0)
            {
                builder.Append(builder.Length > 0 ? "\n\n" : string.Empty);
            }
            else
            {
                builder.Append(' ');
            }

            builder.Append(sentence);

            // Breaks depend on the sentence itself so that a verbatim copy keeps its parent's paragraphs.
            inParagraph = (inParagraph + 1) % (1 + (sentence.Sum(c => c) % 4));
        }

        return builder.ToString();
    }

    private string Headline(Facts facts) => $"{facts.Organization} {Word()} {facts.Figures[0]} {Word()} in {facts.Place}";

    private string NewFigure() => random.Next(4) switch
    {
        0 => $"${random.Next(2, 99)}.{random.Next(1, 9)} million",
        1 => $"{random.Next(11, 99)} percent",
        2 => $"{random.Next(120, 9999).ToString("N0", CultureInfo.InvariantCulture)}",
        _ => $"${random.Next(2, 40)} billion",
    };

    private static string? FigureIn(string sentence)
    {
        var words = sentence.Split(' ');
        foreach (var w in words)
        {
            var core = w.TrimEnd('.', ',');
            if (core.Length > 0 && (char.IsDigit(core[0]) || (core[0] == '$' && core.Length > 1)) && core.Any(char.IsDigit))
            {
                return core;
            }
        }

        return null;
    }

    private string OtherFigure(string figure)
    {
        var digits = new StringBuilder(figure);
        for (var i = 0; i < digits.Length; i++)
        {
            if (char.IsDigit(digits[i]))
            {
                digits[i] = (char)('0' + ((digits[i] - '0' + random.Next(1, 9)) % 10));
                if (i == 0 || !char.IsDigit(digits[i - 1]))
                {
                    digits[i] = digits[i] == '0' ? '7' : digits[i];
                }

                break;
            }
        }

        return digits.ToString();
    }

    private string Word()
    {
        // Zipf-like: low indexes far more frequent.
        var u = random.NextDouble();
        var index = (int)(Math.Pow(u, 2.2) * vocabulary.Length);
        return vocabulary[Math.Min(index, vocabulary.Length - 1)];
    }

    private string Name() => Capitalize(vocabulary[random.Next(vocabulary.Length)]);

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    private string[] MakeVocabulary(int size)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        while (words.Count < size)
        {
            var syllables = random.Next(2, 4);
            var builder = new StringBuilder();
            for (var s = 0; s < syllables; s++)
            {
                builder.Append(Syllables[random.Next(Syllables.Length)]);
            }

            words.Add(builder.ToString());
        }

        return [.. words.Order(StringComparer.Ordinal).OrderBy(_ => random.Next())];
    }

    private sealed record Version(
        string Id,
        string Title,
        List<string> Sentences,
        DateTimeOffset Date,
        string Site,
        string? ParentId,
        CopyOperation Operation,
        List<string> Inserted,
        List<(string, string)> Changed,
        string? Credited)
    {
        public GeneratedDocument ToDocument(string familyId, string storyId, Func<IReadOnlyList<string>, string> layout) =>
            new(Id, Title, layout(Sentences), Date, Site, familyId, storyId, ParentId, Operation, Inserted, Changed, Credited);
    }
}
