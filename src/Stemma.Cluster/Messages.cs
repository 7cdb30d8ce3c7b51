using Stemma.Storage;

namespace Stemma.Cluster;

/// <summary>The part of one document's index entries that falls into one shard.</summary>
/// <param name="Id">The document id.</param>
/// <param name="Position">Its insertion position in the store (results come back in this order).</param>
/// <param name="ContentHash">The content hash, when it belongs to this shard.</param>
/// <param name="Bands">Band numbers whose keys belong to this shard.</param>
/// <param name="BandKeys">The keys of those bands (same order).</param>
/// <param name="Terms">The document's distinct terms that belong to this shard (counted into document frequencies).</param>
[GenerateSerializer, Immutable]
public sealed record ShardDocument(
    [property: Id(0)] string Id,
    [property: Id(1)] long Position,
    [property: Id(2)] ulong? ContentHash,
    [property: Id(3)] int[] Bands,
    [property: Id(4)] ulong[] BandKeys,
    [property: Id(5)] uint[] Terms);

/// <summary>The posted terms (with weights) of one document that belong to one shard; they replace what it had there.</summary>
[GenerateSerializer, Immutable]
public sealed record ShardPostings([property: Id(0)] string Id, [property: Id(1)] uint[] Terms, [property: Id(2)] float[] Weights);

/// <summary>
/// What one write of the store changed in one shard. <see cref="Before"/> and <see cref="After"/> are the store's
/// versions around the write: a shard applies the change only when it stands at <see cref="Before"/> and the write was
/// the only one in between; otherwise it rebuilds itself from the store (see <c>IndexShardGrain</c>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ShardUpdate(
    [property: Id(0)] long Before,
    [property: Id(1)] long After,
    [property: Id(2)] ShardDocument[] Upserts,
    [property: Id(3)] string[] Removed,
    [property: Id(4)] ShardPostings[] Postings,
    [property: Id(5)] bool Clear);

/// <summary>
/// What one write of the store changed in one document shard: the documents that hash there as the store now returns
/// them (added or updated), the ids removed, or everything (<see cref="Clear"/>). Every write, documents or not, sends
/// every document shard one, so each follows the store's version (see <see cref="VersionedShardGrain"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DocumentShardUpdate(
    [property: Id(0)] long Before,
    [property: Id(1)] long After,
    [property: Id(2)] StoredDocument[] Upserts,
    [property: Id(3)] string[] Removed,
    [property: Id(4)] bool Clear);

/// <summary>What one document shard holds (for the scale model and tests).</summary>
/// <param name="Bytes">The text (id, fields, body, annotations) in UTF-8 plus signatures and band keys: what a document costs there beyond object overhead.</param>
[GenerateSerializer, Immutable]
public sealed record DocumentShardStatistics(
    [property: Id(0)] long Version,
    [property: Id(1)] int Documents,
    [property: Id(2)] long Bytes,
    [property: Id(3)] int Rebuilds);

/// <summary>A document found in a shard, with its insertion position (merged across shards in this order).</summary>
[GenerateSerializer, Immutable]
public readonly record struct Found([property: Id(0)] long Position, [property: Id(1)] string Id);

/// <summary>A document found in a shard for one probe of a batched look-up (the probe's index in the batch).</summary>
[GenerateSerializer, Immutable]
public readonly record struct ProbeFound([property: Id(0)] int Probe, [property: Id(1)] long Position, [property: Id(2)] string Id);

/// <summary>A term's document frequency as one shard holds it.</summary>
[GenerateSerializer, Immutable]
public readonly record struct ShardFrequency([property: Id(0)] uint Term, [property: Id(1)] int Count, [property: Id(2)] string? First);

/// <summary>A posting as one shard holds it.</summary>
[GenerateSerializer, Immutable]
public readonly record struct ShardPosting([property: Id(0)] uint Term, [property: Id(1)] string Id, [property: Id(2)] float Weight);

/// <summary>The result of a write through the store gateway, with the store's versions before and after it.</summary>
[GenerateSerializer, Immutable]
public sealed record Versioned<T>([property: Id(0)] T Value, [property: Id(1)] long Before, [property: Id(2)] long After);

/// <summary>The outcome of adding a batch: per document outcomes, and the insertion positions of the added or updated ones.</summary>
[GenerateSerializer, Immutable]
public sealed record AddResult([property: Id(0)] IReadOnlyList<AddOutcome> Outcomes, [property: Id(1)] Dictionary<string, long> Positions);

/// <summary>What one index shard holds (for the scale model and tests).</summary>
[GenerateSerializer, Immutable]
public sealed record ShardStatistics(
    [property: Id(0)] long Version,
    [property: Id(1)] int Documents,
    [property: Id(2)] int ContentHashes,
    [property: Id(3)] int BandEntries,
    [property: Id(4)] int Terms,
    [property: Id(5)] int Postings,
    [property: Id(6)] int Rebuilds,
    [property: Id(7)] long RestoredVersion = -1,
    [property: Id(8)] int ReplayedUpdates = 0,
    [property: Id(9)] int Snapshots = 0);

/// <summary>
/// The keys that changed in a shard between two snapshots and their state at <see cref="Version"/>: every document id
/// whose keys, postings or deleted mark changed (<see cref="Ids"/>), every term whose frequency changed
/// (<see cref="Terms"/>), and what of them the shard still holds (<see cref="State"/>; an id or term named but absent there
/// is gone).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ShardDelta(
    [property: Id(0)] long Version,
    [property: Id(1)] string[] Ids,
    [property: Id(2)] uint[] Terms,
    [property: Id(3)] ShardSnapshot State);

/// <summary>
/// What makes up a shard's stored state at <see cref="Version"/>: page <c>i</c> (a key range) was written at
/// <c>PageVersions[i]</c> into slot <c>PageSlots[i]</c> (0 or 1: a page is written into the slot not in use, so the
/// manifest, written last, is the one switch), and the deltas <c>DeltaSequences</c> (written at <c>DeltaVersions</c>,
/// oldest first) hold every change since the oldest page. The next delta is written under <see cref="NextDelta"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ShardManifest(
    [property: Id(0)] long Version,
    [property: Id(1)] long[] PageVersions,
    [property: Id(2)] int[] PageSlots,
    [property: Id(3)] long[] DeltaSequences,
    [property: Id(4)] long[] DeltaVersions,
    [property: Id(5)] long NextDelta);

/// <summary>
/// Part of a shard's state at one store version, as grain storage keeps it: documents' keys in this shard, their posted
/// terms with their weights, term document frequencies and deleted documents frequencies may still name. A page holds
/// one key range whole (<see cref="Shards.PageOfDocument"/>, <see cref="Shards.PageOfTerm"/>); a delta the keys that changed.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ShardSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] ShardDocument[] Documents,
    [property: Id(2)] ShardPostings[] Postings,
    [property: Id(3)] uint[] FrequencyTerms,
    [property: Id(4)] int[] FrequencyCounts,
    [property: Id(5)] string?[] FrequencyFirsts,
    [property: Id(6)] string[] Deleted);

/// <summary>A slice of a batch as a sketch worker returns it, with the silo it ran on (where the work went, for tests and the scale model).</summary>
[GenerateSerializer, Immutable]
public sealed record SketchedSlice([property: Id(0)] IReadOnlyList<StoredDocument> Documents, [property: Id(1)] string Silo);

/// <summary>A story as its grain holds it: members in insertion order, copy trees, and whether it is gone.</summary>
/// <param name="Version">The store version the view reflects.</param>
/// <param name="Gone">True when the story no longer exists (merged into another, split, or never was).</param>
[GenerateSerializer, Immutable]
public sealed record StoryView(
    [property: Id(0)] long Version,
    [property: Id(1)] bool Gone,
    [property: Id(2)] string[] Members,
    [property: Id(3)] Lineage.LineageTree[] Trees);

/// <summary>One input file on its way to a read worker (see <see cref="Ingest.RawInput"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record RawFile([property: Id(0)] string Source, [property: Id(1)] string Id, [property: Id(2)] byte[] Content);

/// <summary>What a read worker answers: each input's outcomes, in order, and the silo it ran on.</summary>
[GenerateSerializer, Immutable]
public sealed record ReadSlice([property: Id(0)] Ingest.ReadOutcome[][] Outcomes, [property: Id(1)] string Silo);
