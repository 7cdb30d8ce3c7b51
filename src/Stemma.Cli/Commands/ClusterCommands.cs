using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Stemma.Cluster;
using Stemma.Storage;

namespace Stemma.Cli.Commands;

/// <summary>`stemma silo` and the `--cluster` option of `ingest`: Stemma on an Orleans cluster (docs/cluster.md).</summary>
internal static class ClusterCommands
{
    public static Option<string?> ClusterOption(string purpose = "Ingest through a Stemma cluster instead of --db") => new("--cluster")
    {
        Description = purpose + ": HOST:PORT[,HOST:PORT...] of silo gateways, or the postgres:// database holding the cluster's membership",
    };

    /// <summary>The store a command works on: the cluster's when <paramref name="cluster"/> is given, else <paramref name="openLocal"/>.</summary>
    public static async Task<IStore> OpenAsync(string? cluster, Func<Task<IStore>> openLocal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(openLocal);
        return string.IsNullOrWhiteSpace(cluster) ? await openLocal() : await ConnectAsync(cluster, cancellationToken);
    }

    /// <summary>A client connection to the cluster <paramref name="cluster"/> names, as a store; disposing it closes the connection.</summary>
    public static async Task<IStore> ConnectAsync(string cluster, CancellationToken cancellationToken) =>
        new ConnectedStore(await ClusterConnection.ConnectAsync(ParseSettings(cluster), cancellationToken: cancellationToken));

    /// <summary>The cluster for messages: its gateways, or that membership is in PostgreSQL (never a password).</summary>
    public static string Describe(string cluster) => ClusterConnection.Describe(ParseSettings(cluster));

    /// <summary>How a silo opens the store it serves; the one place to change when --db takes other kinds of store.</summary>
    private static Task<IStore> OpenBackingStoreAsync(CliContext context, string db, CancellationToken cancellationToken) =>
        StoreCommands.OpenAsync(context, db, cancellationToken);

    public static Command Silo(CliContext context)
    {
        var database = CommonOptions.Database();
        var port = new Option<int>("--port") { Description = "Silo-to-silo port", DefaultValueFactory = _ => 11111 };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "Port clients (ingest --cluster) connect to", DefaultValueFactory = _ => 30000 };
        var cluster = new Option<string?>("--cluster")
        {
            Description = "Join a cluster: HOST:PORT of its primary silo (development clustering on one network), or the postgres:// database holding membership. Without it this silo starts a cluster of its own",
        };
        var address = new Option<string?>("--address")
        {
            Description = "With --cluster postgres://...: the IP address this silo gives the others and the clients (default: this machine's first address)",
        };
        var command = new Command("silo", "Run one silo of a Stemma cluster over the database; stops on Ctrl+C") { database, port, gatewayPort, cluster, address };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var db = parse.GetValue(database)!;
            var settings = ParseSettings(parse.GetValue(cluster)) with { SiloPort = parse.GetValue(port), GatewayPort = parse.GetValue(gatewayPort) };
            if (parse.GetValue(address) is { } advertised)
            {
                settings = settings with
                {
                    AdvertisedAddress = System.Net.IPAddress.TryParse(advertised, out var ip) ? ip : throw new UsageException($"--address: '{advertised}' is not an IP address"),
                };
            }

            if (settings.SiloPort is < 1 or > 65535 || settings.GatewayPort is < 1 or > 65535)
            {
                throw new UsageException("--port and --gateway-port must be between 1 and 65535");
            }

            // Fail here, with the database's own message, rather than on the first grain call.
            await (await OpenBackingStoreAsync(context, db, cancellationToken)).DisposeAsync();
            if (settings.UsesDatabase)
            {
                // Membership in PostgreSQL: the provider's tables and statements are made here when missing.
                await MembershipSchema.EnsureAsync(ClusterHosting.PostgresConnectionString(settings.Membership!), cancellationToken);
            }

            // Shard snapshots and change logs: in the membership database, else in the store's when that is PostgreSQL,
            // else in memory (they then last as long as the silos).
            settings = settings with
            {
                GrainState = settings.UsesDatabase ? settings.Membership : Storage.PostgreSql.PostgreSqlConnectionString.IsUri(db) ? db : null,
            };
            if (settings.GrainState is { } state)
            {
                await GrainStateSchema.EnsureAsync(ClusterHosting.PostgresConnectionString(state), cancellationToken);
            }

            using var host = ClusterHosting.BuildSilo(settings, logLevel: Microsoft.Extensions.Logging.LogLevel.Error, openStore: (name, token) => name == BackingStores.Default
                ? OpenBackingStoreAsync(context, db, token)
                : throw new StoreException($"this silo serves only {db}, not '{name}'"));
            await host.StartAsync(cancellationToken);
            context.Out.WriteLine($"silo on port {settings.SiloPort}, gateway {settings.GatewayPort}, serving {db}; Ctrl+C stops");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            await host.StopAsync(TimeSpan.FromSeconds(30));
            context.Out.WriteLine("silo stopped");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static ClusterSettings ParseSettings(string? value)
    {
        try
        {
            return ClusterSettings.Parse(value);
        }
        catch (FormatException error)
        {
            throw new UsageException(error.Message);
        }
        catch (System.Net.Sockets.SocketException error)
        {
            throw new UsageException($"--cluster: {error.Message}");
        }
    }

    /// <summary>The cluster's store, closing the client connection with it.</summary>
    private sealed class ConnectedStore(ClusterConnection connection) : IStore, Pipeline.IRemoteSketching, Ingest.IRemoteReading
    {
        private readonly ClusterStore store = connection.Store;

        public Task<IReadOnlyList<Ingest.ReadOutcome[]>> ReadAsync(IReadOnlyList<Ingest.RawInput> inputs, Ingest.IngestLimits limits, CancellationToken cancellationToken = default) =>
            store.ReadAsync(inputs, limits, cancellationToken);

        public Task<IReadOnlyList<StoredDocument>> SketchAsync(IReadOnlyList<Article> articles, Sketch.SketchOptions sketch, Index.LshParameters lsh, CancellationToken cancellationToken = default) =>
            store.SketchAsync(articles, sketch, lsh, cancellationToken);

        public Task InitializeAsync(CancellationToken cancellationToken = default) => store.InitializeAsync(cancellationToken);

        public Task<IReadOnlyList<AddOutcome>> AddDocumentsAsync(IReadOnlyList<StoredDocument> documents, CancellationToken cancellationToken = default) => store.AddDocumentsAsync(documents, cancellationToken);

        public Task<StoredDocument?> GetDocumentAsync(string id, CancellationToken cancellationToken = default) => store.GetDocumentAsync(id, cancellationToken);

        public Task<IReadOnlyList<StoredDocument>> GetDocumentsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default) => store.GetDocumentsAsync(ids, cancellationToken);

        public Task<long> CountDocumentsAsync(CancellationToken cancellationToken = default) => store.CountDocumentsAsync(cancellationToken);

        public IAsyncEnumerable<StoredDocument> ListDocumentsAsync(CancellationToken cancellationToken = default) => store.ListDocumentsAsync(cancellationToken);

        public Task<int> DeleteDocumentsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken = default) => store.DeleteDocumentsAsync(ids, cancellationToken);

        public Task ClearAsync(CancellationToken cancellationToken = default) => store.ClearAsync(cancellationToken);

        public Task<IReadOnlyList<string>> FindByContentHashAsync(ulong contentHash, CancellationToken cancellationToken = default) => store.FindByContentHashAsync(contentHash, cancellationToken);

        public Task<IReadOnlyList<string>> FindBandCandidatesAsync(IReadOnlyList<ulong> bandKeys, CancellationToken cancellationToken = default) => store.FindBandCandidatesAsync(bandKeys, cancellationToken);

        public Task<IReadOnlyList<IReadOnlyList<string>>> FindSketchCandidatesAsync(IReadOnlyList<SketchProbe> probes, CancellationToken cancellationToken = default) => store.FindSketchCandidatesAsync(probes, cancellationToken);

        public Task<IReadOnlyList<TermFrequency>> GetTermFrequenciesAsync(IReadOnlyList<uint> terms, CancellationToken cancellationToken = default) => store.GetTermFrequenciesAsync(terms, cancellationToken);

        public Task<IReadOnlyList<Posting>> GetPostingsAsync(IReadOnlyList<uint> terms, int maxPerTerm, CancellationToken cancellationToken = default) => store.GetPostingsAsync(terms, maxPerTerm, cancellationToken);

        public Task<int> AddPairsAsync(IReadOnlyList<PairScore> pairs, CancellationToken cancellationToken = default) => store.AddPairsAsync(pairs, cancellationToken);

        public Task<IReadOnlyList<PairScore>> GetPairsAsync(string documentId, CancellationToken cancellationToken = default) => store.GetPairsAsync(documentId, cancellationToken);

        public Task<IReadOnlyList<PairScore>> GetPairsAmongAsync(IReadOnlyList<string> documentIds, CancellationToken cancellationToken = default) => store.GetPairsAmongAsync(documentIds, cancellationToken);

        public Task<long> CountPairsAsync(CancellationToken cancellationToken = default) => store.CountPairsAsync(cancellationToken);

        public Task<int> SetGroupsAsync(IReadOnlyList<GroupAssignment> assignments, CancellationToken cancellationToken = default) => store.SetGroupsAsync(assignments, cancellationToken);

        public Task<GroupAssignment?> GetGroupAsync(string documentId, CancellationToken cancellationToken = default) => store.GetGroupAsync(documentId, cancellationToken);

        public Task<IReadOnlyList<FamilySummary>> ListFamiliesAsync(int minSize = 1, CancellationToken cancellationToken = default) => store.ListFamiliesAsync(minSize, cancellationToken);

        public Task<IReadOnlyList<string>> GetFamilyMembersAsync(string familyId, CancellationToken cancellationToken = default) => store.GetFamilyMembersAsync(familyId, cancellationToken);

        public Task<StoryPage> ListStoriesAsync(StoryQuery query, CancellationToken cancellationToken = default) => store.ListStoriesAsync(query, cancellationToken);

        public Task<IReadOnlyList<string>> GetStoryMembersAsync(string storyId, CancellationToken cancellationToken = default) => store.GetStoryMembersAsync(storyId, cancellationToken);

        public Task<IReadOnlyList<IReadOnlyList<string>>> GetStoryMembersAsync(IReadOnlyList<string> storyIds, CancellationToken cancellationToken = default) => store.GetStoryMembersAsync(storyIds, cancellationToken);

        public Task<IReadOnlyList<StoredPlacement>> GetPlacementsAsync(IReadOnlyList<string> documentIds, CancellationToken cancellationToken = default) => store.GetPlacementsAsync(documentIds, cancellationToken);

        public Task<IReadOnlyList<Lineage.LineageTree>> GetTreesAsync(string storyId, CancellationToken cancellationToken = default) => store.GetTreesAsync(storyId, cancellationToken);

        public Task<IReadOnlyList<string>> GetPendingAsync(int limit, CancellationToken cancellationToken = default) => store.GetPendingAsync(limit, cancellationToken);

        public Task<IReadOnlyList<string>> GetLabeledBeforeAsync(long documentCount, int limit, CancellationToken cancellationToken = default) => store.GetLabeledBeforeAsync(documentCount, limit, cancellationToken);

        public Task<long> CommitRelateAsync(RelateCommit commit, CancellationToken cancellationToken = default) => store.CommitRelateAsync(commit, cancellationToken);

        public Task<long> GetVersionAsync(CancellationToken cancellationToken = default) => store.GetVersionAsync(cancellationToken);

        public Task<IAsyncDisposable> AcquireWriterLockAsync(Action? waiting = null, CancellationToken cancellationToken = default) => store.AcquireWriterLockAsync(waiting, cancellationToken);

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
