using Orleans.Concurrency;
using Stemma.Ingest;

namespace Stemma.Cluster;

/// <inheritdoc cref="IReadWorkerGrain"/>
[StatelessWorker]
internal sealed class ReadWorkerGrain(Orleans.Runtime.ILocalSiloDetails silo) : Grain, IReadWorkerGrain
{
    public Task<ReadSlice> ReadAsync(RawFile[] inputs, IngestLimits limits)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var options = new ReaderOptions { Limits = limits };
        var outcomes = new ReadOutcome[inputs.Length][];
        for (var i = 0; i < inputs.Length; i++)
        {
            outcomes[i] = [.. ArticleReader.ReadContent(inputs[i].Content, inputs[i].Source, inputs[i].Id, options)];
        }

        return Task.FromResult(new ReadSlice(outcomes, silo.SiloAddress.ToString()));
    }
}
