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
    public const string Unrelated = "unrelated";

    public static IReadOnlyList<string> All { get; } = [Identical, Copy, Excerpt, Edited, Spun, Rewrite, SameEvent, Unrelated];

    /// <summary>Relations that put two documents in one copy family (they share text).</summary>
    public static bool IsCopyFamily(string relation) => relation is Identical or Copy or Excerpt or Edited or Spun;

    /// <summary>Relations that put two documents in one story without sharing text.</summary>
    public static bool IsSameStory(string relation) => relation is Rewrite or SameEvent;
}
