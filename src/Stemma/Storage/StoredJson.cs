using System.Text.Json;
using System.Text.Json.Serialization;
using Stemma.Lineage;
using Stemma.Relate;

namespace Stemma.Storage;

/// <summary>
/// How stores that keep relate results as text write them: lineage trees and labeled pairs as JSON, the same for every
/// backend, so a tree read back equals the tree the relate stage made.
/// </summary>
public static class StoredJson
{
    public static string Write(LineageTree tree) => JsonSerializer.Serialize(tree, StoredJsonContext.Default.LineageTree);

    public static LineageTree ReadTree(string json) =>
        JsonSerializer.Deserialize(json, StoredJsonContext.Default.LineageTree) ?? throw new StoreException("A stored lineage tree is empty.");

    public static string Write(RelatedPair pair) => JsonSerializer.Serialize(pair, StoredJsonContext.Default.RelatedPair);

    /// <summary>The text <see cref="Write(LineageTree)"/> makes, as UTF-8 (what SQLite stores; no UTF-16 string on the way).</summary>
    public static byte[] WriteUtf8(LineageTree tree) => JsonSerializer.SerializeToUtf8Bytes(tree, StoredJsonContext.Default.LineageTree);

    /// <summary>The text <see cref="Write(RelatedPair)"/> makes, as UTF-8.</summary>
    public static byte[] WriteUtf8(RelatedPair pair) => JsonSerializer.SerializeToUtf8Bytes(pair, StoredJsonContext.Default.RelatedPair);

    public static RelatedPair ReadPair(string json) =>
        JsonSerializer.Deserialize(json, StoredJsonContext.Default.RelatedPair) ?? throw new StoreException("A stored pair's evidence is empty.");
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(LineageTree))]
[JsonSerializable(typeof(RelatedPair))]
internal sealed partial class StoredJsonContext : JsonSerializerContext;
