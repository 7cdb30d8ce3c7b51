using System.Globalization;

namespace Stemma.Storage;

/// <summary>Rules every <see cref="IStore"/> backend applies the same way, kept in one place so backends cannot drift.</summary>
public static class StoreRules
{
    /// <summary>Why <paramref name="document"/> cannot be stored, or null when it can.</summary>
    public static string? Validate(StoredDocument? document)
    {
        if (document is null)
        {
            return "document is null";
        }

        if (document.Article is null)
        {
            return "article is null";
        }

        if (string.IsNullOrWhiteSpace(document.Article.Id))
        {
            return "id is empty";
        }

        if (document.Article.Body is null)
        {
            return "body is null";
        }

        if (document.Signature is null)
        {
            return "signature is missing";
        }

        if (document.BandKeys is null)
        {
            return "band keys are missing";
        }

        if (document.Article.Annotations is null)
        {
            return "annotations list is null";
        }

        foreach (var annotation in document.Article.Annotations)
        {
            if (annotation is null || annotation.Text is null)
            {
                return "an annotation is null or has no text";
            }
        }

        return null;
    }

    /// <summary>Lower-cases text for case-insensitive substring search (culture-free so every backend folds alike).</summary>
    public static string FoldForSearch(string? text) => (text ?? string.Empty).ToLowerInvariant();

    /// <summary>The search words of a story query, folded; empty when there is no search.</summary>
    public static IReadOnlyList<string> SearchWords(string? search) =>
        string.IsNullOrWhiteSpace(search)
            ? []
            : FoldForSearch(search).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>True when the first id sorts before the second in the canonical (ordinal) pair order.</summary>
    public static bool IsCanonicalOrder(string first, string second) => string.CompareOrdinal(first, second) < 0;

    /// <summary>The key pairs are ranked by: similarity, or Jaccard while unclassified.</summary>
    public static double RankingSimilarity(PairScore pair) => pair?.Similarity ?? pair?.Jaccard ?? 0;

    /// <summary>Folded site name for comparison.</summary>
    public static string? FoldSite(string? site) => site?.ToLower(CultureInfo.InvariantCulture);

    /// <summary>
    /// Members of many stories, read as (story, document) rows in insertion order, answered one list per story id in the
    /// order asked (empty for an unknown or null id), as <see cref="IRelationStore.GetStoryMembersAsync(IReadOnlyList{string}, System.Threading.CancellationToken)"/> promises.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> MembersInOrderAsked(IReadOnlyList<string> storyIds, IEnumerable<(string Story, string Document)> rows)
    {
        ArgumentNullException.ThrowIfNull(storyIds);
        ArgumentNullException.ThrowIfNull(rows);
        var members = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (story, document) in rows)
        {
            if (!members.TryGetValue(story, out var list))
            {
                members[story] = list = [];
            }

            list.Add(document);
        }

        return [.. storyIds.Select(id => (IReadOnlyList<string>?)(id is null ? null : members.GetValueOrDefault(id)) ?? [])];
    }
}
