using Stemma.Relate;

namespace Stemma.Testing.Corpus;

/// <summary>
/// The relation label each generating operation should earn, shared by the label tests and the threshold sweep of the
/// bench: a copy is compared with its parent, a rewrite or an independent report with its story's original.
/// </summary>
public static class OperationLabels
{
    /// <summary>Every copy operation, one rewrite and one independent report per story, no copies of copies.</summary>
    public static CorpusOptions AllOperations { get; } = new()
    {
        Stories = 40,
        UnrelatedArticles = 40,
        CopyOfCopyRate = 0,
        MaxCopies = 6,
        RewritesPerStory = 1,
        SameEventReportsPerStory = 1,
        Operations = [CopyOperation.Verbatim, CopyOperation.Wrapped, CopyOperation.Excerpt, CopyOperation.Edited, CopyOperation.SentenceDrop, CopyOperation.Spun],
    };

    public static IReadOnlyDictionary<CopyOperation, string> Expected { get; } = new Dictionary<CopyOperation, string>
    {
        [CopyOperation.Verbatim] = Relations.Identical,
        [CopyOperation.Wrapped] = Relations.Copy,
        [CopyOperation.Excerpt] = Relations.Excerpt,
        [CopyOperation.Edited] = Relations.Edited,
        // Dropped sentences leave the shorter text wholly inside the longer one, spread through it: a copy.
        [CopyOperation.SentenceDrop] = Relations.Copy,
        [CopyOperation.Spun] = Relations.Spun,
        [CopyOperation.Rewrite] = Relations.Rewrite,
        [CopyOperation.SameEvent] = Relations.SameEvent,
    };

    /// <summary>What <paramref name="document"/> is compared with: its parent, or its story's original.</summary>
    public static GeneratedDocument SourceOf(GeneratedDocument document, IReadOnlyDictionary<string, GeneratedDocument> byId) =>
        byId[document.ParentId ?? document.StoryId + "-0"];
}
