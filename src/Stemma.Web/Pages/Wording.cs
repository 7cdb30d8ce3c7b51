using System.Globalization;
using Stemma.Relate;

namespace Stemma.Web.Pages;

/// <summary>
/// How relations, evidence and ids read in plain words, on the pages and in the terminal alike (the CLI uses these
/// too, so both say the same thing).
/// </summary>
public static class Wording
{
    /// <summary>"B {phrase} A": "is identical to", "is an excerpt of", "reports the same event as".</summary>
    public static string RelationPhrase(string? relation) => relation switch
    {
        Relations.Identical => "is identical to",
        Relations.Copy => "is a copy of",
        Relations.Excerpt => "is an excerpt of",
        Relations.Edited => "is an edited copy of",
        Relations.Spun => "is a reworded (spun) copy of",
        Relations.Rewrite => "is a rewrite of",
        Relations.SameEvent => "reports the same event as",
        Relations.SharesPassages => "shares passages with",
        Relations.Unrelated => "is unrelated to",
        null => "is related to",
        _ => "is " + relation + " of",
    };

    /// <summary>What a relation label means, for a tooltip or a legend.</summary>
    public static string RelationMeaning(string? relation) => relation switch
    {
        Relations.Identical => "the same text word for word",
        Relations.Copy => "the same text, with small differences or other lines around it",
        Relations.Excerpt => "a part of the other's text",
        Relations.Edited => "copied text with figures, names, quotes or sentences changed",
        Relations.Spun => "copied text with many words swapped for synonyms",
        Relations.Rewrite => "the same facts told in other words",
        Relations.SameEvent => "an independent report of the same event",
        Relations.SharesPassages => "another story that reuses some of the same passages (background, a quote block, a disclaimer or footer)",
        Lineage.LineageTree.CreditedRelation => "the copy names this outside source",
        _ => "related",
    };

    /// <summary>"1 site", "0 sites", "3 inputs rejected" (the noun agrees with the number).</summary>
    public static string Count(int value, string one, string many) => Show.Count(value, one, many);

    /// <summary>
    /// A short form of a long id for narrow places: an address keeps its site and the end of its path
    /// ("coastnewsdaily.example.net/…/kittiwake-ferry-returns"), other ids keep their start and end around "…".
    /// The full id always goes with it (tooltip or legend).
    /// </summary>
    public static string ShortId(string id, int max = 36)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (Uri.TryCreate(id, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            var host = uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host;
            var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var address = segments.Length switch
            {
                0 => host,
                1 => host + "/" + segments[0],
                _ => host + "/…/" + segments[^1],
            };
            return address.Length <= max ? address : string.Concat(address.AsSpan(0, max - 1), "…");
        }

        if (id.Length <= max)
        {
            return id;
        }

        // Keep the folder (which sample set, which feed) and the end (which version).
        var head = (max - 1) / 2;
        return string.Concat(id.AsSpan(0, head), "…", id.AsSpan(id.Length - (max - 1 - head)));
    }

    /// <summary>A long passage shortened to its first and last words with its length, e.g. for a dropped tail.</summary>
    public static string Summarize(string text, int maxWords = 24)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length <= maxWords)
        {
            return string.Join(' ', words);
        }

        var head = (maxWords * 2) / 3;
        var tail = maxWords - head;
        return $"{string.Join(' ', words.Take(head))} … {string.Join(' ', words.Skip(words.Length - tail))} ({words.Length.ToString(CultureInfo.InvariantCulture)} words)";
    }

    /// <summary>Plain-language evidence for "B relates to A": how much text they share and which facts agree.</summary>
    public static IReadOnlyList<string> Evidence(Comparison comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var e = comparison.Evidence;
        var lines = new List<string>();
        if (comparison.Alignment.Spans.Count > 0)
        {
            lines.Add($"{Percent(e.CoverageB)} of the right's text is in the left; {Percent(e.CoverageA)} of the left's text is kept on the right");
        }
        else
        {
            lines.Add("no passage of text in common");
        }

        var facts = new List<string>();
        AddFact(facts, e.EntityOverlap, "people and places");
        AddFact(facts, e.NumberOverlap, "figures");
        AddFact(facts, e.DateOverlap, "dates");
        if (facts.Count > 0)
        {
            lines.Add(string.Join("; ", facts));
        }

        if (e.SubstitutionRate >= 0.05)
        {
            lines.Add($"{Percent(e.SubstitutionRate)} of the shared words were swapped" + (e.SynonymSwaps > 0 ? $" ({Count(e.SynonymSwaps, "for a synonym", "for synonyms")})" : string.Empty));
        }

        lines.Add(Dimensions(comparison.Dimensions));
        return lines;
    }

    /// <summary>
    /// The dimensions people judge news similarity by, as scored from the text features with the weights fitted on
    /// people's ratings (<see cref="SimilarityWeights.Default"/>): "as people judge news: same place 72 %, ...".
    /// </summary>
    public static string Dimensions(StoryDimensions dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        return $"as people judge news: same place {Percent(dimensions.SamePlace)}, same people {Percent(dimensions.SamePeople)}, "
            + $"same time {Percent(dimensions.SameTime)}, same narrative {Percent(dimensions.SameNarrative)}";
    }

    private static void AddFact(List<string> facts, double overlap, string what)
    {
        // An overlap of 0 with nothing to compare reads the same as none shared; only say what is clear.
        if (overlap >= 0.999)
        {
            facts.Add("same " + what);
        }
        else if (overlap >= 0.5)
        {
            facts.Add($"most {what} the same ({Percent(overlap)})");
        }
        else if (overlap > 0)
        {
            facts.Add($"few {what} in common ({Percent(overlap)})");
        }
    }

    private static string Percent(double value) => Show.Percent(value);
}
