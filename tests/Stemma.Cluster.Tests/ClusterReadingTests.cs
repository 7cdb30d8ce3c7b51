using System.Text.Json;
using Stemma.Ingest;
using Stemma.Ingest.Annotations;
using Stemma.Pipeline;
using Stemma.Storage.Sqlite;

namespace Stemma.Cluster.Tests;

/// <summary>Reading and extraction in the cluster's read workers: the client lists files and ships bytes, the silos read them.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterReadingTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Samples_of_every_format_read_by_workers_give_what_reading_here_gives_and_ingest_as_a_single_process_does()
    {
        var samples = SamplesFolder();
        await using var store = fixture.NewStore();
        var local = ArticleReader.Read([samples], ReaderOptions.Default).ToList();
        var remote = await RemoteReader.ReadAsync([samples], ReaderOptions.Default, store).ToListAsync();

        // The samples hold HTML pages, WordPress REST JSON, plain text, a feed and gzip: all read, and read alike.
        foreach (var extension in new[] { ".html", ".json", ".txt", ".xml", ".gz" })
        {
            Assert.Contains(local, o => o.Article is not null && o.Source.EndsWith(extension, StringComparison.Ordinal));
        }

        Assert.Equal(local.Select(o => JsonSerializer.Serialize(o)), remote.Select(o => JsonSerializer.Serialize(o)));
        var files = Directory.GetFiles(samples, "*", SearchOption.AllDirectories).Length;
        Assert.Equal(files, store.ReadBySilo.Values.Sum());
        Assert.True(store.ReadBySilo.Count >= 2, $"read workers ran on {store.ReadBySilo.Count} silo(s)");

        // Ingested through the cluster as read there, the store equals a single-process ingest of the files read here.
        var articles = CorpusAnnotator.Apply([.. remote.Where(o => o.Article is not null).Select(o => o.Article!)]);
        await new StoreIngestor(store).IngestAsync(articles);
        var (expected, _) = ArticleReader.ReadCorpus([samples]);
        await using var single = await SqliteStore.OpenAsync(Path.Combine(fixture.Folder, "single-" + Guid.NewGuid().ToString("N") + ".db"));
        await new StoreIngestor(single).IngestAsync(expected);
        var ids = expected.Select(a => a.Id).ToList();
        Assert.Equal(ids, articles.Select(a => a.Id));
        Assert.Equal(
            (await single.GetPlacementsAsync(ids)).Select(p => (p.DocumentId, p.FamilyId, p.StoryId, p.Parent, p.Relation)),
            (await store.GetPlacementsAsync(ids)).Select(p => (p.DocumentId, p.FamilyId, p.StoryId, p.Parent, p.Relation)));
        Assert.Equal(
            (await single.GetPairsAmongAsync(ids)).Select(p => (p.A, p.B, p.Relation)),
            (await store.GetPairsAmongAsync(ids)).Select(p => (p.A, p.B, p.Relation)));
        Assert.Equal(
            (await single.GetDocumentsAsync(ids)).Select(d => JsonSerializer.Serialize(d.Article)),
            (await store.GetDocumentsAsync(ids)).Select(d => JsonSerializer.Serialize(d.Article)));
    }

    /// <summary>The repository's samples folder, found by walking up from the test binaries to Stemma.slnx.</summary>
    private static string SamplesFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Stemma.slnx")))
            {
                return Path.Combine(folder.FullName, "samples");
            }
        }

        throw new InvalidOperationException("Stemma.slnx not found above " + AppContext.BaseDirectory);
    }
}
