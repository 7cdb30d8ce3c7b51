using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Stemma.Ingest;

/// <summary>What <see cref="DocumentVersions.Add"/> decided for one article.</summary>
/// <param name="Article">The article to keep (its id changed when it is a later version), or null when it repeats a version already kept.</param>
/// <param name="DuplicateOf">The id of the version it repeats, when <paramref name="Article"/> is null.</param>
public sealed record VersionDecision(Article? Article, string? DuplicateOf);

/// <summary>
/// Keeps ids unique when two inputs carry one id (one URL crawled twice, two WordPress dumps of a post). Two different
/// texts under one id are two versions of one page: the first keeps the id, each later one gets the id plus
/// "#v-" and the first 8 hex digits of a hash of its title and body, so the id is stable whatever order files are read in
/// after the first. Every version keeps the page's URL (the shared id when it names no other), which is how they show
/// as versions of one page. The same text twice is a duplicate and is reported, not kept.
/// </summary>
public sealed class DocumentVersions
{
    /// <summary>Separator between the shared id and the content hash of a later version.</summary>
    public const string VersionMarker = "#v-";

    /// <summary>Per id, each version kept: a fingerprint of its text (to tell a repeat) and the id it got.</summary>
    private readonly Dictionary<string, List<(ulong Fingerprint, string Id)>> versions = new(StringComparer.Ordinal);

    /// <summary>Decides the id of the next article read.</summary>
    public VersionDecision Add(Article article)
    {
        ArgumentNullException.ThrowIfNull(article);
        var fingerprint = TextFingerprint(article);
        if (!versions.TryGetValue(article.Id, out var known))
        {
            versions[article.Id] = [(fingerprint, article.Id)];
            return new VersionDecision(article, null);
        }

        foreach (var (knownFingerprint, knownId) in known)
        {
            if (knownFingerprint == fingerprint)
            {
                return new VersionDecision(null, knownId);
            }
        }

        var id = article.Id + VersionMarker + (ContentHash(article) >> 32).ToString("x8", CultureInfo.InvariantCulture);
        known.Add((fingerprint, id));
        var url = article.Url ?? (IsUrl(article.Id) ? article.Id : null);
        return new VersionDecision(article with { Id = id, Url = url }, null);
    }

    /// <summary>The id shared by all versions of a page ("https://x.example/a#v-1f2e3d4c" -> "https://x.example/a").</summary>
    public static string SharedId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var at = id.LastIndexOf(VersionMarker, StringComparison.Ordinal);
        return at > 0 && id.Length == at + VersionMarker.Length + 8 && id[(at + VersionMarker.Length)..].All(char.IsAsciiHexDigitLower) ? id[..at] : id;
    }

    // One hasher a thread for TextFingerprint, reset for each article: a new one each time (some 600 bytes of state) was
    // 130 MB over a 100k ingest, which fingerprints every article twice.
    [ThreadStatic]
    private static XxHash3? t_fingerprint;

    /// <summary>
    /// Tells whether two articles carry the same text: a hash of the title, a line break and the body as they are in memory
    /// (UTF-16, no encoding). Every article read passes here, and nearly every id is new, so this is all most of them cost.
    /// </summary>
    internal static ulong TextFingerprint(Article article)
    {
        var hash = t_fingerprint ??= new XxHash3();
        hash.Reset();
        hash.Append(MemoryMarshal.AsBytes(article.Title.AsSpan()));
        hash.Append(MemoryMarshal.AsBytes("\n".AsSpan()));
        hash.Append(MemoryMarshal.AsBytes(article.Body.AsSpan()));
        return hash.GetCurrentHashAsUInt64();
    }

    /// <summary>
    /// The hash a later version's id carries: of the UTF-8 bytes of the title, a line break and the body, encoded a piece at
    /// a time into one small buffer. Encoding the pieces apart gives the same bytes as encoding them joined: the line break
    /// between them is never half of a surrogate pair. Only a second text under a known id is hashed so.
    /// </summary>
    internal static ulong ContentHash(Article article)
    {
        var hash = new XxHash64();
        Span<byte> buffer = stackalloc byte[4096];
        Append(hash, article.Title, buffer);
        Append(hash, "\n", buffer);
        Append(hash, article.Body, buffer);
        return hash.GetCurrentHashAsUInt64();

        static void Append(XxHash64 hash, ReadOnlySpan<char> text, Span<byte> buffer)
        {
            var encoder = Encoding.UTF8.GetEncoder();
            while (true)
            {
                encoder.Convert(text, buffer, flush: true, out var used, out var written, out var completed);
                hash.Append(buffer[..written]);
                text = text[used..];
                if (completed)
                {
                    return;
                }
            }
        }
    }

    private static bool IsUrl(string id) =>
        id.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || id.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
