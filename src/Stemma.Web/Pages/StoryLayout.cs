using System.Globalization;
using Stemma.Lineage;
using Stemma.Relate;
using Stemma.Web.Services;

namespace Stemma.Web.Pages;

/// <summary>
/// How one copy edge reads: what the copy took (evidence), how sure the edge is (confidence) and why the one is taken
/// to be the copy. The direction and confidence are the edge's own (<see cref="LineageEdge.Direction"/>,
/// <see cref="LineageEdge.Confidence"/>, <see cref="LineageEdge.Evidence"/>), as `analyze --json` and the API state
/// them: this view only puts them in words.
/// </summary>
/// <param name="Relation">The relation label.</param>
/// <param name="Evidence">"shares 84% of its text; adds 5 lines around it".</param>
/// <param name="Confidence">"high", "medium" or "low".</param>
/// <param name="Direction">Why this one is taken to be the copy: "published 3 h 20 min later", "direction unknown: identical texts, no dates".</param>
/// <param name="DirectionKnown">False when nothing tells which of the two came first.</param>
public sealed record EdgeView(string Parent, string Child, string Relation, double Similarity, string Evidence, string Confidence, string Direction, bool DirectionKnown)
{
    public string InWords => $"{Evidence}. Confidence {Confidence}: {Direction}.";
}

/// <summary>A member row: who it is (short id, full id on hover), what it is (original, copy, related coverage) and its edge.</summary>
public sealed record MemberView(StoryMember Member, string Label, string Role, string? Relation, string? ParentLabel, EdgeView? Edge, string? Note);

/// <summary>The story page's model: the headline (the original's title), the copies and the related coverage apart.</summary>
public sealed record StoryLayoutModel(StoryView View, Article? Original, IReadOnlyList<MemberView> Copies, IReadOnlyList<MemberView> Related)
{
    public string Title => Original?.Title ?? Original?.Id ?? View.First?.Title ?? View.StoryId;
}

public static class StoryLayout
{
    private const int LabelChars = 64;

    /// <param name="view">The analysed story.</param>
    /// <param name="relationToOriginal">How a member outside the original's copy family relates to the original (rewrite, same-event…), when known.</param>
    public static StoryLayoutModel Build(StoryView view, Func<string, string?>? relationToOriginal = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        var original = OriginalOf(view);
        var originalFamily = original is null ? null : view.Member(original.Id)?.Family;
        var edges = view.Trees.SelectMany(t => t.Edges.Select(e => (Tree: t, Edge: e))).GroupBy(x => x.Edge.Child, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var copies = new List<MemberView>();
        var related = new List<MemberView>();
        foreach (var member in view.Members)
        {
            var id = member.Article.Id;
            var label = Label(member.Article);
            EdgeView? edge = edges.TryGetValue(id, out var found) && view.Member(found.Edge.Parent) is not null ? Describe(found.Tree, found.Edge) : null;
            var parentLabel = member.Parent is null ? null : view.Member(member.Parent) is { } parent ? Label(parent.Article) : member.Parent;
            if (originalFamily is null || member.Family == originalFamily)
            {
                var role = member.Article.Id == original?.Id ? "original" : member.Parent is not null && view.Member(member.Parent) is null ? "credits" : "copy";
                var note = role == "original" && member.Origin is not null ? "credits " + member.Origin : null;
                copies.Add(new MemberView(member, label, role, role == "copy" ? member.Relation : null, parentLabel, edge, note));
            }
            else
            {
                var relation = relationToOriginal?.Invoke(id);
                var note = relation is null ? "tells the same story without sharing its text" : Wording.RelationMeaning(relation);
                related.Add(new MemberView(member, label, "related", relation, parentLabel, edge, note));
            }
        }

        return new StoryLayoutModel(view, original, copies, related);
    }

    /// <summary>
    /// The original the story is named after: the root of the largest copy tree (the member an outside origin's credit
    /// leads to), else the earliest member without a parent.
    /// </summary>
    public static Article? OriginalOf(StoryView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        foreach (var tree in view.Trees)
        {
            var root = tree.Nodes.FirstOrDefault(n => n.Id == tree.Root);
            var id = root is { IsOutside: true } ? tree.ChildrenOf(tree.Root).Select(e => e.Child).FirstOrDefault() : tree.Root;
            if (id is not null && view.Member(id) is { } member)
            {
                return member.Article;
            }
        }

        return view.Members
            .Where(m => m.Parent is null || view.Member(m.Parent) is null)
            .OrderBy(m => m.Article.Date ?? DateTimeOffset.MaxValue)
            .ThenBy(m => m.Article.Id, StringComparer.Ordinal)
            .Select(m => m.Article)
            .FirstOrDefault() ?? view.First;
    }

    /// <summary>The short name of a member: its id or address, shortened; the full id goes in a tooltip.</summary>
    public static string Label(Article article)
    {
        ArgumentNullException.ThrowIfNull(article);
        return Wording.ShortId(article.Id, LabelChars);
    }

    /// <summary>Evidence, confidence and direction of one edge in words.</summary>
    public static EdgeView Describe(LineageTree tree, LineageEdge edge)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(edge);
        var parent = tree.Nodes.FirstOrDefault(n => n.Id == edge.Parent);
        var child = tree.Nodes.FirstOrDefault(n => n.Id == edge.Child);
        if (parent is { IsOutside: true })
        {
            return new EdgeView(edge.Parent, edge.Child, edge.Relation, edge.Similarity, "names " + edge.Parent + " as its source", "high", "the credit says so", true);
        }

        var facts = edge.Changes.Count(c => c.Kind is ChangeKind.Figure or ChangeKind.Date or ChangeKind.Quote or ChangeKind.Entity);
        var added = edge.Changes.Count(c => c.Kind == ChangeKind.Inserted && c.InB is null);
        var evidence = new List<string>
        {
            edge.Relation switch
            {
                Relations.Identical => "same text word for word",
                Relations.Excerpt => $"a part of its text (shares {Show.Percent(edge.Similarity)})",
                Relations.Edited => facts > 0
                    ? $"shares {Show.Percent(edge.Similarity)} of its text, {Show.Count(facts, "figure, name or quote", "figures, names or quotes")} changed"
                    : $"shares {Show.Percent(edge.Similarity)} of its text, with sentences cut or reworded",
                Relations.Spun => $"shares {Show.Percent(edge.Similarity)} of its text with words swapped for synonyms",
                _ => $"shares {Show.Percent(edge.Similarity)} of its text",
            },
        };
        if (added > 0)
        {
            evidence.Add("adds " + Show.Count(added, "line", "lines") + " around it (read-more, captions, credits, comment form)");
        }

        var confidence = edge.Confidence >= 0.8 ? "high" : edge.Confidence >= 0.5 ? "medium" : "low";
        var known = !edge.IsDirectionUnknown;
        string direction;
        if (!known)
        {
            direction = edge.Relation == Relations.Identical
                ? "direction unknown: identical texts, no dates" + (parent?.Date is not null || child?.Date is not null ? " to tell them apart" : string.Empty)
                : "direction unknown: no date, credit or change of its own tells which came first";
        }
        else if (edge.Evidence.Any(e => e.Kind == EdgeEvidence.Credit))
        {
            direction = "it credits the other's site";
        }
        else if (parent?.Date is { } from && child?.Date is { } to && to != from)
        {
            var gap = (to - from).Duration();
            direction = to > from ? $"published {Span(gap)} later" : $"dates disagree: published {Span(gap)} earlier, yet its text points the other way";
        }
        else
        {
            // The evidence that told the direction, in the order the lineage weighs it.
            direction = edge.Evidence.Select(e => e.Kind).FirstOrDefault(k => k is EdgeEvidence.Excerpt or EdgeEvidence.Text or EdgeEvidence.FamilyMajority) switch
            {
                EdgeEvidence.Excerpt => "no dates; the text shows which is the copy (it keeps only a part)",
                EdgeEvidence.FamilyMajority => "no dates; where the two differ, the rest of the family keeps the other's text",
                _ when added > 0 || edge.Evidence.Any(e => e.Kind == EdgeEvidence.Text && e.Detail.Contains("inserted line", StringComparison.Ordinal)) => "no dates; the text shows which is the copy (it adds lines around the text)",
                _ => "no dates; the text shows which is the copy (it changed the text)",
            };
        }

        if (edge.IsTieBreak && known)
        {
            direction += "; the parent is a tie-break";
        }

        return new EdgeView(edge.Parent, edge.Child, edge.Relation, edge.Similarity, string.Join("; ", evidence), confidence, direction, known);
    }

    private static string Span(TimeSpan gap) => gap.TotalMinutes < 60
        ? $"{gap.TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} min"
        : gap.TotalHours < 48
            ? $"{((int)gap.TotalHours).ToString(CultureInfo.InvariantCulture)} h" + (gap.Minutes > 0 ? $" {gap.Minutes.ToString(CultureInfo.InvariantCulture)} min" : string.Empty)
            : $"{((int)gap.TotalDays).ToString(CultureInfo.InvariantCulture)} days";
}
