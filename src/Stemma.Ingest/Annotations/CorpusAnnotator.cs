namespace Stemma.Ingest.Annotations;

/// <summary>Thresholds for corpus-level boilerplate detection.</summary>
public sealed record BoilerplateOptions
{
    public static BoilerplateOptions Default { get; } = new();

    /// <summary>A line must recur in at least this many mutually unrelated articles of one site.</summary>
    public int MinUnrelatedArticles { get; init; } = 3;

    /// <summary>...and in at least this share of the site's articles (so a stock phrase in a big archive is not enough).</summary>
    public double MinSiteShare { get; init; } = 0.05;

    /// <summary>Short lines ("No one was injured.") recur in real reporting: below <see cref="ShortLineWords"/> words they need this share instead.</summary>
    public double MinSiteShareForShortLines { get; init; } = 0.25;

    public int ShortLineWords { get; init; } = 6;

    /// <summary>Two articles are unrelated when the word 4-gram Jaccard similarity of their bodies is below this (copies score far higher).</summary>
    public double MaxRelatedSimilarity { get; init; } = 0.3;

    /// <summary>Lines with fewer letters than this are never called boilerplate (too little evidence: "Yes.", "Updated").</summary>
    public int MinLineLetters { get; init; } = 12;
}

/// <summary>
/// Corpus-level evidence for boilerplate: a body paragraph that recurs verbatim (modulo case and spacing)
/// across articles of the same site whose bodies otherwise differ is the site's boilerplate, not article text.
/// Copies of one story share paragraphs legitimately, so recurrence only counts across unrelated articles.
/// Articles without a site are left as they are. Then <see cref="InjectedSentences"/> sets apart sentences injected into a copy.
/// </summary>
public static class CorpusAnnotator
{
    public static IReadOnlyList<Article> Apply(IReadOnlyList<Article> articles) => Apply(articles, BoilerplateOptions.Default);

    public static IReadOnlyList<Article> Apply(IReadOnlyList<Article> articles, BoilerplateOptions options)
    {
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(options);
        var boilerplate = FindBoilerplate(articles, options);
        if (boilerplate.Count == 0)
        {
            return InjectedSentences.Apply(articles);
        }

        var result = new Article[articles.Count];
        for (var index = 0; index < articles.Count; index++)
        {
            var article = articles[index];
            result[index] = article.Site is { } site && boilerplate.TryGetValue(site, out var lines) ? MoveToAnnotations(article, lines.Contains) : article;
        }

        // Then the family evidence: sentences a copy carries that no other member has and that fit no neighbour's topic.
        return InjectedSentences.Apply(result);
    }

    /// <summary>The boilerplate lines found per site (as normalized keys), for inspection and tests.</summary>
    public static IReadOnlyDictionary<string, HashSet<string>> FindBoilerplate(IReadOnlyList<Article> articles, BoilerplateOptions options)
    {
        ArgumentNullException.ThrowIfNull(articles);
        ArgumentNullException.ThrowIfNull(options);
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var site in articles.Where(article => article.Site is not null).GroupBy(article => article.Site!, StringComparer.Ordinal))
        {
            var members = site.ToList();
            if (members.Count < options.MinUnrelatedArticles)
            {
                continue;
            }

            // Which articles hold each paragraph.
            var holders = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var index = 0; index < members.Count; index++)
            {
                foreach (var key in BodyParagraphs(members[index].Body).Select(LineKey).Distinct(StringComparer.Ordinal))
                {
                    if (!IsCandidateLine(key, options))
                    {
                        continue;
                    }

                    if (!holders.TryGetValue(key, out var list))
                    {
                        holders[key] = list = [];
                    }

                    list.Add(index);
                }
            }

            var fingerprints = new HashSet<ulong>?[members.Count];
            var lines = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (key, holding) in holders)
            {
                var needed = NeededHolders(LineClassifier.CountWords(key) < options.ShortLineWords, members.Count, options);
                if (holding.Count >= needed && CountUnrelated(holding, members, fingerprints, options, needed) >= needed)
                {
                    lines.Add(key);
                }
            }

            if (lines.Count > 0)
            {
                result[site.Key] = lines;
            }
        }

        return result;
    }

    /// <summary>Lines with too few letters are never boilerplate (too little evidence).</summary>
    internal static bool IsCandidateLine(string key, BoilerplateOptions options) => key.Count(char.IsLetter) >= options.MinLineLetters;

    /// <summary>How many mutually unrelated articles of a site of <paramref name="siteArticles"/> must hold a line for it to be boilerplate.</summary>
    internal static int NeededHolders(bool shortLine, int siteArticles, BoilerplateOptions options)
    {
        var share = shortLine ? options.MinSiteShareForShortLines : options.MinSiteShare;
        return Math.Max(options.MinUnrelatedArticles, (int)Math.Ceiling(share * siteArticles));
    }

    /// <summary>Greedy count of holders that are pairwise unrelated, stopping as soon as enough are found.</summary>
    private static int CountUnrelated(List<int> holding, List<Article> members, HashSet<ulong>?[] fingerprints, BoilerplateOptions options, int needed)
    {
        var chosen = new List<HashSet<ulong>>();
        foreach (var index in holding)
        {
            var fingerprint = fingerprints[index] ??= Shingles(members[index].Body);
            if (chosen.All(other => Jaccard(fingerprint, other) < options.MaxRelatedSimilarity))
            {
                chosen.Add(fingerprint);
                if (chosen.Count >= needed)
                {
                    break;
                }
            }
        }

        return chosen.Count;
    }

    /// <summary>The article with the body paragraphs whose key <paramref name="isBoilerplate"/> accepts moved to annotations.</summary>
    internal static Article MoveToAnnotations(Article article, Func<string, bool> isBoilerplate)
    {
        var paragraphs = BodyParagraphs(article.Body);
        if (!paragraphs.Any(paragraph => isBoilerplate(LineKey(paragraph))))
        {
            return article;
        }

        // Body paragraphs fill, in order, the positions the existing annotations leave free.
        var taken = article.Annotations.Select(annotation => annotation.Position).ToHashSet();
        var body = new List<string>();
        var annotations = article.Annotations.ToList();
        var position = 0;
        foreach (var paragraph in paragraphs)
        {
            while (taken.Contains(position))
            {
                position++;
            }

            if (isBoilerplate(LineKey(paragraph)))
            {
                annotations.Add(new Annotation(AnnotationKind.Boilerplate, paragraph, position));
            }
            else
            {
                body.Add(paragraph);
            }

            position++;
        }

        return article with
        {
            Body = string.Join("\n\n", body),
            Annotations = [.. annotations.OrderBy(annotation => annotation.Position)],
        };
    }

    internal static string[] BodyParagraphs(string body) =>
        body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    internal static string LineKey(string paragraph) => LineClassifier.WordKey(paragraph);

    internal static HashSet<ulong> Shingles(string body)
    {
        var words = LineClassifier.WordKey(body).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var shingles = new HashSet<ulong>();
        for (var start = 0; start + 4 <= words.Length; start++)
        {
            var hash = 14695981039346656037UL;
            for (var offset = 0; offset < 4; offset++)
            {
                foreach (var c in words[start + offset])
                {
                    hash = (hash ^ c) * 1099511628211UL;
                }

                hash = (hash ^ ' ') * 1099511628211UL;
            }

            shingles.Add(hash);
        }

        return shingles;
    }

    internal static double Jaccard(HashSet<ulong> a, HashSet<ulong> b)
    {
        if (a.Count == 0 && b.Count == 0)
        {
            return 1;
        }

        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var shared = small.Count(large.Contains);
        return shared / (double)(a.Count + b.Count - shared);
    }
}
