using Stemma.Align;

namespace Stemma.Relate;

/// <summary>What kind of difference a <see cref="Change"/> records.</summary>
public enum ChangeKind
{
    /// <summary>A number or amount changed ("$2 billion" to "$2.5 billion").</summary>
    Figure,
    Date,
    /// <summary>Words inside quotation marks changed.</summary>
    Quote,
    /// <summary>A name changed.</summary>
    Entity,
    /// <summary>Other words swapped (spinning, light editing).</summary>
    Wording,
    /// <summary>Text in B that A lacks.</summary>
    Inserted,
    /// <summary>Text in A that B lacks.</summary>
    Dropped,
}

/// <summary>One difference between two aligned texts, with where it is in each.</summary>
/// <param name="Kind">What changed.</param>
/// <param name="Before">The text in A (null for an insertion).</param>
/// <param name="After">The text in B (null for a drop).</param>
/// <param name="InA">Where in A (null for an insertion).</param>
/// <param name="InB">Where in B (null for a drop).</param>
public sealed record Change(ChangeKind Kind, string? Before, string? After, TextRange? InA, TextRange? InB)
{
    /// <summary>For a figure that states the same amount in another form, why ("currency conversion", "rounding", "number in words"); null for a changed fact.</summary>
    public string? Restatement { get; init; }

    /// <summary>A short account of a long passage instead of its text ("dropped the last 11 paragraphs, 612 words").</summary>
    public string? Summary { get; init; }

    /// <summary>Whether this changes a fact: a figure, date, quotation or name, unless it only restates the same amount.</summary>
    public bool ChangesFact => KindChangesFacts(Kind) && Restatement is null;

    /// <summary>Whether changes of this kind change a fact (unless they only restate an amount).</summary>
    internal static bool KindChangesFacts(ChangeKind kind) => kind is ChangeKind.Figure or ChangeKind.Date or ChangeKind.Entity or ChangeKind.Quote;

    /// <summary>Changes a reader cares about: everything except swapped ordinary words.</summary>
    public bool Matters => KindMatters(Kind);

    /// <summary>Whether changes of this kind matter to a reader (<see cref="Matters"/>).</summary>
    internal static bool KindMatters(ChangeKind kind) => kind != ChangeKind.Wording;
}

public static class ChangeKindNames
{
    public static string ToName(this ChangeKind kind) => kind switch
    {
        ChangeKind.Figure => "figure",
        ChangeKind.Date => "date",
        ChangeKind.Quote => "quote",
        ChangeKind.Entity => "entity",
        ChangeKind.Wording => "wording",
        ChangeKind.Inserted => "inserted",
        ChangeKind.Dropped => "dropped",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
