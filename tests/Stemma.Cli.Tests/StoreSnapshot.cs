using Stemma.Storage.Sqlite;

namespace Stemma.Cli.Tests;

/// <summary>What a SQLite store holds, as text that two stores can be compared by.</summary>
internal static class StoreSnapshot
{
    /// <summary>
    /// Everything the relate stage stored, as sorted text lines: one per document and one per pair; with
    /// <paramref name="articles"/>, also each stored article's text and annotations.
    /// </summary>
    public static async Task<string> TextAsync(string database, bool articles = false)
    {
        await using var store = await SqliteStore.OpenAsync(database);
        var ids = new List<string>();
        var lines = new List<string>();
        await foreach (var document in store.ListDocumentsAsync())
        {
            ids.Add(document.Article.Id);
            if (articles)
            {
                var article = document.Article;
                lines.Add($"article {article.Id} {article.Site} {article.Title} {article.Body.ReplaceLineEndings("|")} "
                    + string.Join(" ", article.Annotations.Select(annotation => $"[{annotation.Kind} {annotation.Position} {annotation.Text}]")));
            }
        }

        lines.Add($"pending {(await store.GetPendingAsync(int.MaxValue)).Count}");
        foreach (var placement in await store.GetPlacementsAsync(ids))
        {
            lines.Add($"{placement.DocumentId} {placement.FamilyId} {placement.StoryId} {placement.Parent} {placement.Relation}");
        }

        foreach (var id in ids)
        {
            foreach (var pair in await store.GetPairsAsync(id))
            {
                lines.Add($"pair {pair.A} {pair.B} {pair.Relation}");
            }
        }

        lines.Add($"documents {ids.Count}");
        return string.Join('\n', lines.Distinct().Order(StringComparer.Ordinal));
    }
}
