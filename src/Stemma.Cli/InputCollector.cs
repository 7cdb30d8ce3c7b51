using Stemma.Ingest;
using Stemma.Ingest.Annotations;

namespace Stemma.Cli;

/// <summary>Reads PATH arguments into articles, reporting every rejected input on stderr and carrying on.</summary>
internal static class InputCollector
{
    private const int MaxDuplicateReportsPerFile = 10;

    public sealed record Collected(List<Article> Articles, int Rejected);

    public static Collected Read(IEnumerable<string> paths, CliContext context, CancellationToken cancellationToken)
    {
        var articles = new List<Article>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rejected = 0;
        var duplicatesBySource = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var outcome in ArticleReader.Read(paths, context.ReaderOptions))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (outcome.Article is not { } article)
            {
                context.ReportError(outcome.ToString());
                rejected++;
                continue;
            }

            if (!seen.Add(article.Id))
            {
                // A file of one record repeated a million times gets a few lines, not a million.
                var count = duplicatesBySource[outcome.Source] = duplicatesBySource.GetValueOrDefault(outcome.Source) + 1;
                if (count <= MaxDuplicateReportsPerFile)
                {
                    context.ReportError($"{outcome.Source}: duplicate id '{article.Id}' (already read from another input); skipped");
                }

                rejected++;
                continue;
            }

            articles.Add(article);
        }

        foreach (var (source, count) in duplicatesBySource.Where(entry => entry.Value > MaxDuplicateReportsPerFile))
        {
            context.ReportError($"{source}: {count - MaxDuplicateReportsPerFile} more duplicate ids skipped ({count} in all)");
        }

        context.Log($"read {articles.Count} articles, {rejected} rejected");

        // Lines a site repeats across unrelated articles are its boilerplate, not article text.
        return new Collected([.. CorpusAnnotator.Apply(articles)], rejected);
    }
}
