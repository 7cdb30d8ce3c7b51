namespace Stemma.Sketch;

/// <summary>
/// One-permutation MinHash with optimal densification (Shrivastava, ICML 2017): each shingle hash is sent to one of
/// k bins by its high bits and keeps the minimum of its low 32 bits there — one operation per shingle instead of k.
/// Empty bins borrow the value of a bin chosen by a fixed per-bin probe sequence, the same for every document,
/// which keeps the Jaccard estimate (fraction of equal values) unbiased.
/// </summary>
public sealed class MinHasher
{
    /// <summary>The value of a bin no shingle fell into (and of every bin of an empty document).</summary>
    public const uint EmptyBin = uint.MaxValue;

    private const int MaxProbes = 64;
    private readonly int size;
    private readonly ushort[] probeSequence;

    public MinHasher(SketchOptions? options = null)
    {
        options ??= SketchOptions.Default;
        options.Validate();
        size = options.SignatureSize;

        // Probe j of bin i, precomputed: densification then costs no hashing per document.
        probeSequence = new ushort[size * MaxProbes];
        for (var bin = 0; bin < size; bin++)
        {
            for (var attempt = 0; attempt < MaxProbes; attempt++)
            {
                var h = Shingler.Mix(options.Seed ^ ((ulong)(uint)bin << 32) ^ (uint)(attempt + 1) ^ 0xD3A5_1E2B_0000_0000);
                probeSequence[(bin * MaxProbes) + attempt] = (ushort)Bin(h, size);
            }
        }
    }

    public int SignatureSize => size;

    /// <summary>Computes the signature of a set given as shingle hashes (duplicates allowed) into <paramref name="signature"/>.</summary>
    /// <returns>False when there were no shingles (the signature is then all <see cref="EmptyBin"/>).</returns>
    public bool Compute(ReadOnlySpan<ulong> shingleHashes, Span<uint> signature)
    {
        if (signature.Length != size)
        {
            throw new ArgumentException($"signature must have {size} values", nameof(signature));
        }

        signature.Fill(EmptyBin);
        if (shingleHashes.IsEmpty)
        {
            return false;
        }

        foreach (var h in shingleHashes)
        {
            var bin = Bin(h, size);
            var value = (uint)h;
            if (value < signature[bin])
            {
                signature[bin] = value;
            }
        }

        Densify(signature);
        return true;
    }

    public uint[] Compute(ReadOnlySpan<ulong> shingleHashes)
    {
        var signature = new uint[size];
        Compute(shingleHashes, signature);
        return signature;
    }

    private void Densify(Span<uint> signature)
    {
        Span<bool> filled = stackalloc bool[size];
        var empty = 0;
        for (var i = 0; i < size; i++)
        {
            filled[i] = signature[i] != EmptyBin;
            empty += filled[i] ? 0 : 1;
        }

        if (empty == 0)
        {
            return;
        }

        for (var bin = 0; bin < size; bin++)
        {
            if (filled[bin])
            {
                continue;
            }

            var probes = probeSequence.AsSpan(bin * MaxProbes, MaxProbes);
            var donor = -1;
            foreach (var candidate in probes)
            {
                if (filled[candidate])
                {
                    donor = candidate;
                    break;
                }
            }

            // Past the precomputed probes (only for nearly empty signatures) scan on from a fixed start: still the same for every document.
            if (donor < 0)
            {
                for (var step = 0; step < size && donor < 0; step++)
                {
                    var candidate = (probes[^1] + step) % size;
                    donor = filled[candidate] ? candidate : -1;
                }
            }

            signature[bin] = signature[donor];
        }
    }

    /// <summary>Maps a 64-bit hash to [0, size) by its high bits (a multiply-high, so size need not be a power of two).</summary>
    private static int Bin(ulong hash, int size) => (int)Math.BigMul(hash, (ulong)size, out _);
}
