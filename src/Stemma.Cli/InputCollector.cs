using Stemma.Ingest;
using Stemma.Ingest.Annotations;
using Stemma.Pipeline;

namespace Stemma.Cli;

/// <summary>Reads PATH arguments into articles, reporting every rejected input on stderr and carrying on.</summary>
internal static class InputCollector
{
    private const int MaxDuplicateReportsPerFile = 10;

    public sealed record Collected(List<Article> Articles, int Rejected);

    public static Collected Read(IEnumerable<string> paths, CliContext context, CancellationToken cancellationToken) =>
        Collect(ArticleReader.Read(paths, context.ReaderOptions).ToAsyncEnumerable(), context, cancellationToken).GetAwaiter().GetResult();

    /// <summary>
    /// As <see cref="Read"/>, the files read by <paramref name="remote"/> (a cluster's read workers) when given: this
    /// process lists them and sends their bytes.
    /// </summary>
    public static Task<Collected> ReadAsync(IEnumerable<string> paths, CliContext context, IRemoteReading? remote, CancellationToken cancellationToken) =>
        remote is null
            ? Task.FromResult(Read(paths, context, cancellationToken))
            : Collect(RemoteReader.ReadAsync(paths, context.ReaderOptions, remote, cancellationToken), context, cancellationToken);

    private static async Task<Collected> Collect(IAsyncEnumerable<ReadOutcome> outcomes, CliContext context, CancellationToken cancellationToken)
    {
        var articles = new List<Article>();
        var versions = new DocumentVersions();
        var rejected = 0;
        var duplicatesBySource = new Dictionary<string, int>(StringComparer.Ordinal);
        var reading = StageTimings.Start("read");
        await foreach (var outcome in outcomes.WithCancellation(cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (outcome.Article is not { } article)
            {
                context.ReportError(outcome.ToString());
                rejected++;
                continue;
            }

            // Two different texts under one id (a URL crawled twice) are two versions of the page; the same text twice is one.
            var decision = versions.Add(article);
            if (decision.Article is null)
            {
                // A file of one record repeated a million times gets a few lines, not a million.
                var count = duplicatesBySource[outcome.Source] = duplicatesBySource.GetValueOrDefault(outcome.Source) + 1;
                if (count <= MaxDuplicateReportsPerFile)
                {
                    context.ReportError($"{outcome.Source}: duplicate of '{decision.DuplicateOf}' (same id, same text, already read from another input); skipped");
                }

                rejected++;
                continue;
            }

            articles.Add(decision.Article);
        }

        foreach (var (source, count) in duplicatesBySource.Where(entry => entry.Value > MaxDuplicateReportsPerFile))
        {
            context.ReportError($"{source}: {count - MaxDuplicateReportsPerFile} more duplicate ids skipped ({count} in all)");
        }

        reading.Dispose();
        context.Log($"read {articles.Count} articles, {rejected} rejected");

        // Lines a site repeats across unrelated articles are its boilerplate, not article text.
        using (StageTimings.Start("corpus annotation"))
        {
            return new Collected([.. CorpusAnnotator.Apply(articles)], rejected);
        }
    }
}
