using Stemma.Relate;

namespace Stemma.Lineage;

/// <summary>A node of a lineage tree: a document of the corpus, or an outside source it credits (e.g. "cnn.com").</summary>
public sealed record LineageNode(string Id, bool IsOutside, string? Site, DateTimeOffset? Date, string? Title);

/// <summary>"Child was copied from Parent" with the relation label and what the child changed.</summary>
public sealed record LineageEdge(string Parent, string Child, string Relation, double Similarity, IReadOnlyList<Change> Changes);

/// <summary>The copy tree (stemma) of one family; <see cref="Root"/> is the original, or the outside origin when one is credited.</summary>
public sealed record LineageTree(string Family, string Story, string Root, IReadOnlyList<LineageNode> Nodes, IReadOnlyList<LineageEdge> Edges)
{
    /// <summary>Edge label from an outside origin to the family's original: the relation is unknown, only the credit.</summary>
    public const string CreditedRelation = "credited";

    public IEnumerable<LineageEdge> ChildrenOf(string id) => Edges.Where(e => e.Parent == id);

    public LineageEdge? ParentEdgeOf(string id) => Edges.FirstOrDefault(e => e.Child == id);
}
