namespace Stemma.Relate;

/// <summary>The relation labels, exactly as written in output.</summary>
public static class Relations
{
    public const string Identical = "identical";
    public const string Copy = "copy";
    public const string Excerpt = "excerpt";
    public const string Edited = "edited";
    public const string Spun = "spun";
    public const string Rewrite = "rewrite";
    public const string SameEvent = "same-event";

    /// <summary>
    /// Two different articles that reuse some passages (wire background paragraphs, a shared quote block) but are
    /// neither copy of the other: most of at least one text is its own. Joins no copy family, and by itself no story
    /// (background paragraphs are shared across the stories of one topic); <see cref="StoryAnalyzer"/> joins such a
    /// pair's stories only when the rest of the two texts also tells one event.
    /// </summary>
    public const string SharesPassages = "shares-passages";
    public const string Unrelated = "unrelated";

    public static IReadOnlyList<string> All { get; } = [Identical, Copy, Excerpt, Edited, Spun, Rewrite, SameEvent, SharesPassages, Unrelated];

    /// <summary>Relations that put two documents in one copy family (they share text).</summary>
    public static bool IsCopyFamily(string relation) => relation is Identical or Copy or Excerpt or Edited or Spun;

    /// <summary>Relations that put two documents in one story without sharing text (not <see cref="SharesPassages"/>: see there).</summary>
    public static bool IsSameStory(string relation) => relation is Rewrite or SameEvent;
}
