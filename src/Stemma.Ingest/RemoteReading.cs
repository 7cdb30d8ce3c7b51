using System.Runtime.CompilerServices;

namespace Stemma.Ingest;

/// <summary>One input file's content, shipped to a reader elsewhere: the path (named in errors), the id its articles get, the bytes.</summary>
public sealed record RawInput(string Source, string Id, byte[] Content);

/// <summary>
/// Reads inputs somewhere else (the cluster's read workers): the caller lists the files and sends their bytes, the
/// reader runs <see cref="ArticleReader.ReadContent"/> on each and answers the outcomes of each input, inputs in order.
/// </summary>
public interface IRemoteReading
{
    Task<IReadOnlyList<ReadOutcome[]>> ReadAsync(IReadOnlyList<RawInput> inputs, IngestLimits limits, CancellationToken cancellationToken = default);
}

/// <summary>Reads PATH arguments through an <see cref="IRemoteReading"/>: the same outcomes, in the same order, as <see cref="ArticleReader.Read(IEnumerable{string}, ReaderOptions)"/>.</summary>
public static class RemoteReader
{
    /// <summary>Files larger than this are read here, streaming (a WARC or JSONL dump is not shipped whole).</summary>
    public const long MaxShippedBytes = 16 * 1024 * 1024;

    /// <summary>Bytes sent at once: the files of one window go out together, their outcomes come back in order.</summary>
    private const long WindowBytes = 32 * 1024 * 1024;

    private const int WindowFiles = 512;

    public static async IAsyncEnumerable<ReadOutcome> ReadAsync(
        IEnumerable<string> paths, ReaderOptions options, IRemoteReading remote, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(remote);

        // A shared decompression budget is spent in file order by one reader; it cannot be split over workers.
        if (options.SharedDecompressionBudget is not null)
        {
            throw new ArgumentException("remote reading cannot share a decompression budget", nameof(options));
        }

        // Inputs in order; a window holds shipped files, or an input read here (known outcome, large file) that closes it.
        var window = new List<(RawInput? Shipped, Func<IEnumerable<ReadOutcome>>? Here)>();
        long bytes = 0;
        foreach (var (file, id, known) in ArticleReader.List(paths, options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (known is not null)
            {
                window.Add((null, () => [known]));
            }
            else
            {
                byte[]? content = null;
                try
                {
                    content = new FileInfo(file!).Length <= MaxShippedBytes ? File.ReadAllBytes(file!) : null;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Left to the local reader, which reports it as reading a file does.
                }

                if (content is null)
                {
                    window.Add((null, () => ArticleReader.ReadFile(file!, id!, options)));
                }
                else
                {
                    window.Add((new RawInput(file!, id!, content), null));
                    bytes += content.Length;
                }
            }

            if (bytes >= WindowBytes || window.Count >= WindowFiles)
            {
                await foreach (var outcome in FlushAsync(window, options, remote, cancellationToken).ConfigureAwait(false))
                {
                    yield return outcome;
                }

                window.Clear();
                bytes = 0;
            }
        }

        await foreach (var outcome in FlushAsync(window, options, remote, cancellationToken).ConfigureAwait(false))
        {
            yield return outcome;
        }
    }

    private static async IAsyncEnumerable<ReadOutcome> FlushAsync(
        List<(RawInput? Shipped, Func<IEnumerable<ReadOutcome>>? Here)> window, ReaderOptions options, IRemoteReading remote, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var shipped = window.Where(w => w.Shipped is not null).Select(w => w.Shipped!).ToList();
        var outcomes = shipped.Count == 0 ? [] : await remote.ReadAsync(shipped, options.Limits, cancellationToken).ConfigureAwait(false);
        if (outcomes.Count != shipped.Count)
        {
            throw new InvalidOperationException($"remote reading answered for {outcomes.Count} of {shipped.Count} inputs");
        }

        var next = 0;
        foreach (var (_, here) in window)
        {
            if (here is not null)
            {
                foreach (var outcome in here())
                {
                    yield return outcome;
                }

                continue;
            }

            foreach (var outcome in outcomes[next++])
            {
                yield return outcome;
            }
        }
    }
}
