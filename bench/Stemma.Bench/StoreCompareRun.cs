using System.Diagnostics;
using System.Globalization;
using Stemma.Pipeline;
using Stemma.Storage;
using Stemma.Storage.PostgreSql;
using Stemma.Storage.Sqlite;
using Stemma.Testing.Corpus;

namespace Stemma.Bench;

/// <summary>
/// The same generated corpus ingested (every stage, <see cref="StoreIngestor"/>) into a fresh SQLite file and into an
/// empty PostgreSQL database, alternating, in one run; prints wall time per round and the PostgreSQL/SQLite ratio.
/// Usage: store-compare --postgres URI-OR-CONNECTION-STRING [--docs 2000] [--rounds 2]
/// The PostgreSQL database is cleared before each round (its tables are kept). Both stores are opened the way the CLI
/// opens <c>--db</c>: through a <see cref="StoreOpener"/> with both providers registered.
/// </summary>
internal static class StoreCompareRun
{
    private static readonly StoreOpener Stores = new(new SqliteStoreProvider(), new PostgreSqlStoreProvider());

    public static int Run(string[] args)
    {
        var documents = 2_000;
        var rounds = 2;
        string? postgres = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--docs": documents = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--postgres": postgres = args[i + 1]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        if (postgres is null)
        {
            Console.Error.WriteLine("store-compare needs --postgres postgres://user@host:port/database");
            return 2;
        }

        var corpus = new SyntheticCorpus(200, new CorpusOptions { Stories = documents / 6, UnrelatedArticles = 0 }).Generate().ToList();
        corpus.AddRange(new SyntheticCorpus(201, new CorpusOptions { Stories = 0, UnrelatedArticles = Math.Max(0, documents - corpus.Count) }).Generate()
            .Select(d => d with { Id = "x" + d.Id, FamilyId = "x" + d.FamilyId }));
        var articles = corpus.Take(documents).Select(d => d.ToArticle()).ToList();
        Console.WriteLine($"stores: {Stores.Describe(postgres)} ({Stores.Resolve(postgres).Name}) and a temporary {Stores.Resolve("x.db").Name} file");
        Console.WriteLine($"{articles.Count} articles, {articles.Sum(a => a.Body.Length) / 1e6:F1} M characters; {Environment.ProcessorCount} cores");

        var sqliteTimes = new List<double>();
        var postgresTimes = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var file = Path.Combine(Path.GetTempPath(), $"stemma-store-compare-{Guid.NewGuid():N}.db");
            try
            {
                sqliteTimes.Add(Ingest("sqlite", round, () => Stores.OpenAsync(file), articles));
            }
            finally
            {
                foreach (var leftover in new[] { file, file + "-wal", file + "-shm", file + ".lock" })
                {
                    File.Delete(leftover);
                }
            }

            postgresTimes.Add(Ingest("postgresql", round, async () =>
            {
                var store = await Stores.OpenAsync(postgres).ConfigureAwait(false);
                await store.ClearAsync().ConfigureAwait(false);
                return store;
            }, articles));
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"best of {rounds}: sqlite {sqliteTimes.Min():F2} s ({articles.Count / sqliteTimes.Min():F0} docs/s), postgresql {postgresTimes.Min():F2} s ({articles.Count / postgresTimes.Min():F0} docs/s), postgresql/sqlite {postgresTimes.Min() / sqliteTimes.Min():F2}"));
        return 0;
    }

    private static double Ingest(string name, int round, Func<Task<IStore>> open, List<Article> articles)
    {
        return Task.Run(async () =>
        {
            await using var store = await open().ConfigureAwait(false);
            var watch = Stopwatch.StartNew();
            var report = await new StoreIngestor(store).IngestAsync(articles).ConfigureAwait(false);
            var seconds = watch.Elapsed.TotalSeconds;
            var families = (await store.ListFamiliesAsync(2).ConfigureAwait(false)).Count;
            var pairs = await store.CountPairsAsync().ConfigureAwait(false);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"round {round} {name}: {seconds:F2} s, added {report.Added}, related {report.Related}, pairs {pairs}, families of 2+ {families}"));
            return seconds;
        }).GetAwaiter().GetResult();
    }
}
