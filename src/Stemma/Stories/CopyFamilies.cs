using Stemma.Index;

namespace Stemma.Stories;

/// <summary>Copy families: the connected components of verified near-duplicate pairs.</summary>
public static class CopyFamilies
{
    /// <summary>The family id of every document (the smallest member id), in input order.</summary>
    public static string[] Assign(IReadOnlyList<string> documentIds, IEnumerable<CandidatePair> pairs)
    {
        ArgumentNullException.ThrowIfNull(documentIds);
        ArgumentNullException.ThrowIfNull(pairs);
        var sets = new UnionFind(documentIds.Count);
        foreach (var pair in pairs)
        {
            sets.Union(pair.A, pair.B);
        }

        return sets.GroupIds(documentIds);
    }
}
