using Orleans.Concurrency;
using Stemma.Index;
using Stemma.Pipeline;
using Stemma.Sketch;
using Stemma.Storage;

namespace Stemma.Cluster;

/// <inheritdoc cref="ISketchWorkerGrain"/>
[StatelessWorker]
internal sealed class SketchWorkerGrain(Orleans.Runtime.ILocalSiloDetails silo) : Grain, ISketchWorkerGrain
{
    // An ingest sends one set of settings; the sketcher (its hash seeds) is made once per activation for it.
    private (SketchOptions Sketch, LshParameters Lsh, DocumentSketcher Sketcher)? last;

    public Task<SketchedSlice> SketchAsync(IReadOnlyList<Article> articles, SketchOptions sketch, LshParameters lsh)
    {
        ArgumentNullException.ThrowIfNull(articles);
        if (last is not { } known || known.Sketch != sketch || known.Lsh != lsh)
        {
            last = known = (sketch, lsh, new DocumentSketcher(sketch, lsh));
        }

        // One article after another: the parallelism is the activations, one per core of the silo.
        var documents = new StoredDocument[articles.Count];
        for (var i = 0; i < documents.Length; i++)
        {
            documents[i] = known.Sketcher.Sketch(articles[i]).Document;
        }

        return Task.FromResult(new SketchedSlice(documents, silo.SiloAddress.ToString()));
    }
}
