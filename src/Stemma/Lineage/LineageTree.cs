using Stemma.Relate;

namespace Stemma.Lineage;

/// <summary>A node of a lineage tree: a document of the corpus, or an outside source it credits (e.g. "cnn.com").</summary>
public sealed record LineageNode(string Id, bool IsOutside, string? Site, DateTimeOffset? Date, string? Title);

/// <summary>"Child was copied from Parent" with the relation label and what the child changed.</summary>
public sealed record LineageEdge(string Parent, string Child, string Relation, double Similarity, IReadOnlyList<Change> Changes)
{
    /// <summary>What decided this edge (credit line, date order, inherited lines or figures, text evidence, or a tie-break).</summary>
    public IReadOnlyList<EdgeEvidence> Evidence { get; init; } = [];

    /// <summary>
    /// How likely the edge is right, in [0, 1]: the chance the parent is the right one among the members that explain the
    /// child (1/k for k indistinguishable candidates) times the chance the direction is right (one half when unknown).
    /// </summary>
    public double Confidence { get; init; } = 1;

    /// <summary>The <see cref="LineageConfidence.Cell"/> the confidence was read from ("date-order/clear": what told the direction, what picked the parent); null when not worked out.</summary>
    public string? ConfidenceBasis { get; init; }

    /// <summary><see cref="LineageTree.DirectionKnown"/>, or <see cref="LineageTree.DirectionUnknown"/> when no evidence tells which of the two came first (identical undated texts): then the edge only says the two are one text.</summary>
    public string Direction { get; init; } = LineageTree.DirectionKnown;

    /// <summary>Whether nothing tells which of the two came first.</summary>
    public bool IsDirectionUnknown => Direction == LineageTree.DirectionUnknown;

    /// <summary>Whether the parent was picked among equally good candidates by a tie-break rather than by evidence.</summary>
    public bool IsTieBreak => Evidence.Any(e => e.Kind == EdgeEvidence.TieBreak);
}

/// <summary>One reason behind a lineage edge, e.g. ("date-order", "published 3 h after the parent").</summary>
/// <param name="Kind">One of the constants of this record: credit, date-order, inherited-lines, inherited-figures, excerpt, text, family-majority, tie-break, unaligned.</param>
/// <param name="Detail">What was seen, in words.</param>
public sealed record EdgeEvidence(string Kind, string Detail)
{
    /// <summary>The child credits the parent's site.</summary>
    public const string Credit = "credit";

    /// <summary>The parent was published before the child.</summary>
    public const string DateOrder = "date-order";

    /// <summary>The child carries lines the parent inserted (read-more links, captions) that other candidates lack.</summary>
    public const string InheritedLines = "inherited-lines";

    /// <summary>The child carries figures the parent changed, where other candidates have the old ones.</summary>
    public const string InheritedFigures = "inherited-figures";

    /// <summary>The child is a part of the parent (an excerpt cannot be where the longer text came from).</summary>
    public const string Excerpt = "excerpt";

    /// <summary>Text evidence: the parent explains the child's words best, or the child has text of its own the parent lacks.</summary>
    public const string Text = "text";

    /// <summary>The rest of the family keeps the parent's version where the two differ.</summary>
    public const string FamilyMajority = "family-majority";

    /// <summary>No evidence separated the candidates: the parent (or the direction) is a tie-break, not a finding.</summary>
    public const string TieBreak = "tie-break";

    /// <summary>The parent and the child were never aligned (a large family reads only the pairs found before): the parent is an estimate from shared trigrams, not a finding.</summary>
    public const string Unaligned = "unaligned";
}

/// <summary>The copy tree (stemma) of one family; <see cref="Root"/> is the original, or the outside origin when one is credited.</summary>
public sealed record LineageTree(string Family, string Story, string Root, IReadOnlyList<LineageNode> Nodes, IReadOnlyList<LineageEdge> Edges)
{
    /// <summary>Edge label from an outside origin to the family's original: the relation is unknown, only the credit.</summary>
    public const string CreditedRelation = "credited";

    /// <summary><see cref="LineageEdge.Direction"/> when evidence says the parent came first.</summary>
    public const string DirectionKnown = "known";

    /// <summary><see cref="LineageEdge.Direction"/> when nothing tells which came first.</summary>
    public const string DirectionUnknown = "unknown";

    public IEnumerable<LineageEdge> ChildrenOf(string id) => Edges.Where(e => e.Parent == id);

    public LineageEdge? ParentEdgeOf(string id) => Edges.FirstOrDefault(e => e.Child == id);
}
