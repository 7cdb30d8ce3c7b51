using System.Text;
using Stemma.Storage;

namespace Stemma.Cluster;

/// <inheritdoc cref="IDocumentShardGrain"/>
/// <remarks>
/// Held in memory only: a new activation (its silo died) reads its slice from the store at its first use, as does a shard
/// that missed a write. Kept alive while idle, since that read lists the whole store. Updates carry the documents as the
/// store returned them after the write (the gateway reads them back), so a shard answers exactly what the store would.
/// </remarks>
[KeepAlive]
[ShardPlacement]
internal sealed class DocumentShardGrain(BackingStores stores) : VersionedShardGrain, IDocumentShardGrain
{
    private readonly Dictionary<string, StoredDocument> documents = new(StringComparer.Ordinal);
    private string store = string.Empty;
    private int shard;
    private int count;
    private long bytes;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (store, shard, count) = Shards.ParseKey(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public Task ApplyAsync(DocumentShardUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        return ApplyAtVersionAsync(update.Before, update.After, () =>
        {
            if (update.Clear)
            {
                documents.Clear();
                bytes = 0;
            }

            foreach (var id in update.Removed)
            {
                Remove(id);
            }

            foreach (var document in update.Upserts)
            {
                Put(document);
            }

            Version = update.After;
            return Task.CompletedTask;
        });
    }

    public async Task<StoredDocument[]> GetDocumentsAsync(string[] ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        await LoadedAsync();
        var found = new List<StoredDocument>(ids.Length);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            if (id is not null && seen.Add(id) && documents.TryGetValue(id, out var document))
            {
                found.Add(document);
            }
        }

        return [.. found];
    }

    public async Task<DocumentShardStatistics> GetStatisticsAsync()
    {
        await LoadedAsync();
        return new DocumentShardStatistics(Version, documents.Count, bytes, Rebuilds);
    }

    protected override async Task<long> ReadSliceAsync()
    {
        var backing = await stores.GetAsync(store);
        var at = await backing.GetVersionAsync();
        documents.Clear();
        bytes = 0;
        await foreach (var document in backing.ListDocumentsAsync())
        {
            if (Shards.OfDocument(document.Article.Id, count) == shard)
            {
                Put(document);
            }
        }

        return at;
    }

    private void Put(StoredDocument document)
    {
        Remove(document.Article.Id);
        documents[document.Article.Id] = document;
        bytes += Size(document);
    }

    private void Remove(string id)
    {
        if (documents.Remove(id, out var held))
        {
            bytes -= Size(held);
        }
    }

    /// <summary>The document's text in UTF-8 (fields, body, annotations) and its signature and band keys: its payload here.</summary>
    private static long Size(StoredDocument document)
    {
        var article = document.Article;
        long text = 0;
        foreach (var field in (string?[])[article.Id, article.SourcePath, article.Title, article.Body, article.Site, article.Url, article.Author, article.Language, article.Attribution, article.Format])
        {
            text += field is null ? 0 : Encoding.UTF8.GetByteCount(field);
        }

        foreach (var annotation in article.Annotations)
        {
            text += Encoding.UTF8.GetByteCount(annotation.Text) + 8;
        }

        return text + (4L * document.Signature.Length) + (8L * document.BandKeys.Length) + 8 + 8 + 16;
    }
}
