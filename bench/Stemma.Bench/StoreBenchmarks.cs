using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Stemma.Storage;
using Stemma.Storage.Sqlite;

namespace Stemma.Bench;

/// <summary>
/// Synthetic stored documents shaped like the real pipeline's output: ~3 KB body, 128-value signature, 32 band keys.
/// Deterministic per index so cached databases and query sets agree across runs.
/// </summary>
internal static class StoreBenchmarkData
{
    public const int SignatureLength = 128;
    public const int Bands = 32;
    private const int BodyCharacters = 3000;

    private static readonly string[] Words = [.. Enumerable.Range(0, 4096).Select(i => "word" + i.ToString("x", System.Globalization.CultureInfo.InvariantCulture))];

    public static StoredDocument Document(int index, string prefix = "corpus")
    {
        var random = new Random(index);
        var body = new StringBuilder(BodyCharacters + 16);
        while (body.Length < BodyCharacters)
        {
            body.Append(Words[random.Next(Words.Length)]).Append(' ');
        }

        var signature = new uint[SignatureLength];
        for (var i = 0; i < signature.Length; i++)
        {
            signature[i] = (uint)random.NextInt64(0, 1L << 32);
        }

        return new StoredDocument
        {
            Article = new Article
            {
                Id = $"{prefix}/{index:D7}.txt",
                Title = $"Story {index}",
                Body = body.ToString(),
                Date = DateTimeOffset.UnixEpoch.AddYears(50).AddMinutes(index),
                Site = $"site{index % 97}.example",
                Format = "txt",
            },
            ContentHash = BandKeys(index, random)[0],
            Signature = signature,
            BandKeys = BandKeys(index, random),
        };
    }

    /// <summary>Band keys of document <paramref name="index"/>: full-range 64-bit values (top bit set half the time).</summary>
    public static ulong[] BandKeys(int index, Random? random = null)
    {
        random ??= new Random(index ^ 0x5EED);
        var keys = new ulong[Bands];
        for (var band = 0; band < keys.Length; band++)
        {
            keys[band] = unchecked(((ulong)random.NextInt64() << 1) ^ (ulong)random.NextInt64());
        }

        return keys;
    }
}

/// <summary>Bulk ingest of 10k documents into a fresh database file, in batches of 1,000 (one transaction each).</summary>
[InvocationCount(1)]
[MemoryDiagnoser]
public class StoreIngestBenchmarks
{
    private const int DocumentCount = 10_000;
    private const int BatchSize = 1_000;

    private StoredDocument[] _documents = [];
    private string _folder = string.Empty;
    private SqliteStore? _store;

    [GlobalSetup]
    public void CreateDocuments() => _documents = [.. Enumerable.Range(0, DocumentCount).Select(index => StoreBenchmarkData.Document(index))];

    [IterationSetup]
    public void OpenFreshStore()
    {
        _folder = Path.Combine(Path.GetTempPath(), "stemma-bench-ingest-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        _store = SqliteStore.OpenAsync(Path.Combine(_folder, "stemma.db")).GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void DeleteStore()
    {
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark]
    public async Task<int> BulkAdd10kDocuments()
    {
        var added = 0;
        for (var first = 0; first < _documents.Length; first += BatchSize)
        {
            var outcomes = await _store!.AddDocumentsAsync(_documents[first..Math.Min(_documents.Length, first + BatchSize)]);
            added += outcomes.Count;
        }

        return added;
    }
}

/// <summary>
/// Lookups on a prepared 100k-document database, built once and cached under the system temp folder
/// (<c>stemma-bench/store-100k-v2.db</c>; delete it to rebuild).
/// </summary>
[Config(typeof(PercentileConfig))]
public class StoreQueryBenchmarks
{
    private const int DocumentCount = 100_000;
    private const int QueryCount = 1024;

    private readonly List<ulong[]> _nearDuplicateQueries = [];
    private readonly List<ulong[]> _unrelatedQueries = [];
    private readonly List<ulong> _contentHashes = [];
    private SqliteStore? _store;
    private int _next;

    public static string CachedDatabasePath => Path.Combine(Path.GetTempPath(), "stemma-bench", "store-100k-v2.db");

    [GlobalSetup]
    public void OpenPreparedStore()
    {
        PrepareDatabase().GetAwaiter().GetResult();
        _store = SqliteStore.OpenAsync(CachedDatabasePath).GetAwaiter().GetResult();
        _store.WarmUpAsync().GetAwaiter().GetResult();
        var random = new Random(42);
        for (var i = 0; i < QueryCount; i++)
        {
            // A near duplicate of a stored document: about a quarter of its bands agree.
            var stored = StoreBenchmarkData.Document(random.Next(DocumentCount));
            var keys = (ulong[])stored.BandKeys.Clone();
            for (var band = 1; band < keys.Length; band++)
            {
                if (random.Next(4) != 0)
                {
                    keys[band] = (ulong)random.NextInt64();
                }
            }

            _nearDuplicateQueries.Add(keys);
            _unrelatedQueries.Add(StoreBenchmarkData.BandKeys(DocumentCount + 1 + i));
            _contentHashes.Add(stored.ContentHash);
        }
    }

    [GlobalCleanup]
    public void CloseStore() => _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public async Task<int> FindBandCandidates_NearDuplicate() =>
        (await _store!.FindBandCandidatesAsync(_nearDuplicateQueries[_next++ % QueryCount])).Count;

    [Benchmark]
    public async Task<int> FindBandCandidates_Unrelated() =>
        (await _store!.FindBandCandidatesAsync(_unrelatedQueries[_next++ % QueryCount])).Count;

    [Benchmark]
    public async Task<int> FindByContentHash() =>
        (await _store!.FindByContentHashAsync(_contentHashes[_next++ % QueryCount])).Count;

    private static async Task PrepareDatabase()
    {
        if (File.Exists(CachedDatabasePath))
        {
            await using var existing = await SqliteStore.OpenAsync(CachedDatabasePath);
            if (await existing.CountDocumentsAsync() == DocumentCount)
            {
                return;
            }
        }

        // Build under a temporary name so an interrupted build is never mistaken for a finished one.
        Directory.CreateDirectory(Path.GetDirectoryName(CachedDatabasePath)!);
        var building = CachedDatabasePath + ".building";
        DeleteDatabaseFiles(building);
        DeleteDatabaseFiles(CachedDatabasePath);
        await using (var store = await SqliteStore.OpenAsync(building))
        {
            const int batchSize = 5_000;
            for (var first = 0; first < DocumentCount; first += batchSize)
            {
                var batch = Enumerable.Range(first, Math.Min(batchSize, DocumentCount - first)).Select(index => StoreBenchmarkData.Document(index)).ToArray();
                await store.AddDocumentsAsync(batch);
            }
        }

        File.Move(building, CachedDatabasePath);
    }

    private static void DeleteDatabaseFiles(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig()
        {
            AddColumn(StatisticColumn.Median, StatisticColumn.P95, StatisticColumn.Max);
        }
    }
}
