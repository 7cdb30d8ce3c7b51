using FsCheck;
using FsCheck.Xunit;
using Stemma.Index;
using Stemma.Sketch;

namespace Stemma.Tests.Index;

/// <summary>
/// The near-duplicate finder builds its band chains band by band on all cores (<see cref="NearDuplicateFinder.EarlierInBands"/>);
/// each document must find the documents before it that an LSH index fed one document at a time finds, in the same order.
/// </summary>
public sealed class BandChainsTests
{
    [Property(MaxTest = 40)]
    public bool Each_document_finds_what_an_index_built_one_at_a_time_finds(PositiveInt seed, byte sizeSeed)
    {
        var random = new Random(seed.Get);
        var parameters = LshParameters.Optimal(NearDuplicateOptions.Default.LshThreshold, 128);
        var count = 1 + (sizeSeed % 200);

        // Signatures drawn around a few bases, each entry kept or redrawn from a tiny alphabet: bands collide often,
        // within and across the groups, so chains run long and documents meet through several bands.
        var bases = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 128).Select(_ => (uint)random.Next(4)).ToArray()).ToArray();
        var sketches = Enumerable.Range(0, count).Select(_ =>
        {
            var signature = (uint[])bases[random.Next(bases.Length)].Clone();
            for (var k = 0; k < signature.Length; k++)
            {
                if (random.Next(3) == 0)
                {
                    signature[k] = (uint)random.Next(3);
                }
            }

            return new DocumentSketch((ulong)random.NextInt64(), ShingleSet.Empty, signature, 10);
        }).ToList();

        var earlier = NearDuplicateFinder.EarlierInBands(sketches, [.. Enumerable.Range(0, count)], parameters, CancellationToken.None);
        var index = new LshIndex(parameters);
        var seen = new int[count];
        var (expected, found) = (new List<int>(), new List<int>());
        for (var r = 0; r < count; r++)
        {
            expected.Clear();
            index.QueryAndAdd(LshIndex.BandKeys(sketches[r].Signature, parameters), expected);
            NearDuplicateFinder.SharingABand(earlier, parameters.Bands, r, seen, found);
            if (!found.SequenceEqual(expected))
            {
                return false;
            }
        }

        return true;
    }

    [Fact]
    public void A_batch_of_empty_texts_has_no_chains_and_no_pairs()
    {
        var empty = new Sketcher().Sketch(string.Empty);
        Assert.True(empty.IsEmpty);
        Assert.Empty(NearDuplicateFinder.FindPairs([empty, empty, empty]));
        Assert.Empty(NearDuplicateFinder.EarlierInBands([empty], [], LshParameters.Optimal(0.3, 128), CancellationToken.None));
    }

    [Fact]
    public void The_generated_signatures_make_long_chains()
    {
        // The property above is only worth something if documents meet through many earlier ones.
        var parameters = LshParameters.Optimal(NearDuplicateOptions.Default.LshThreshold, 128);
        var random = new Random(3);
        var sketches = Enumerable.Range(0, 100).Select(_ => new DocumentSketch(0, ShingleSet.Empty, [.. Enumerable.Range(0, 128).Select(_ => (uint)random.Next(3))], 10)).ToList();
        var earlier = NearDuplicateFinder.EarlierInBands(sketches, [.. Enumerable.Range(0, 100)], parameters, CancellationToken.None);
        var (seen, found) = (new int[100], new List<int>());
        NearDuplicateFinder.SharingABand(earlier, parameters.Bands, 99, seen, found);
        Assert.True(found.Count >= 20, $"{found.Count} found");
    }
}
