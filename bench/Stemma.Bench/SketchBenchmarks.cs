using BenchmarkDotNet.Attributes;
using Stemma.Index;
using Stemma.Sketch;
using Stemma.Testing.Corpus;
using Stemma.Text;

namespace Stemma.Bench;

/// <summary>
/// Signature throughput on generated news-like text (500 articles, ~1.7 MB). MB/s of text per core =
/// <see cref="TextBytes"/> / mean time of one operation. The baseline is classic k-permutation MinHash
/// (128 hash evaluations per shingle) over the same shingles.
/// </summary>
[MemoryDiagnoser]
public class SketchBenchmarks
{
    private string[] bodies = [];
    private Sketcher sketcher = null!;
    private MinHasher minHasher = null!;
    private ulong[] seeds = [];

    /// <summary>UTF-16 characters of text in one operation (one character ≈ one byte of UTF-8 news text).</summary>
    public long TextBytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        bodies = [.. new SyntheticCorpus(17, new CorpusOptions { Stories = 80, UnrelatedArticles = 100 }).Generate().Take(500).Select(d => d.Body)];
        TextBytes = bodies.Sum(b => (long)b.Length);
        sketcher = new Sketcher();
        minHasher = new MinHasher();
        seeds = [.. Enumerable.Range(1, 128).Select(i => Shingler.Mix((ulong)i))];
        Console.WriteLine($"// text per operation: {TextBytes} characters");
    }

    [Benchmark(Baseline = true, Description = "k-permutation MinHash (baseline)")]
    public ulong KPermutation()
    {
        ulong checksum = 0;
        var signature = new ulong[128];
        var words = new ulong[8192];
        var shingles = new ulong[8192];
        foreach (var body in bodies)
        {
            var normalized = TextNormalizer.Normalize(body);
            var count = Shingler.Combine(words.AsSpan(0, TokenHasher.HashWords(normalized, words)), SketchOptions.Default.ShingleSize, 0, shingles);
            Array.Fill(signature, ulong.MaxValue);
            for (var s = 0; s < count; s++)
            {
                for (var h = 0; h < signature.Length; h++)
                {
                    signature[h] = Math.Min(signature[h], Shingler.Mix(shingles[s] ^ seeds[h]));
                }
            }

            checksum ^= signature[0];
        }

        return checksum;
    }

    [Benchmark(Description = "signature: normalize + shingle + one-permutation MinHash")]
    public uint Signature()
    {
        uint checksum = 0;
        var signature = new uint[128];
        var words = new ulong[8192];
        var shingles = new ulong[8192];
        foreach (var body in bodies)
        {
            var normalized = TextNormalizer.NormalizeToPooled(body, out var length);
            var count = Shingler.Combine(words.AsSpan(0, TokenHasher.HashWords(normalized.AsSpan(0, length), words)), SketchOptions.Default.ShingleSize, 0, shingles);
            System.Buffers.ArrayPool<char>.Shared.Return(normalized);
            minHasher.Compute(shingles.AsSpan(0, count), signature);
            checksum ^= signature[0];
        }

        return checksum;
    }

    [Benchmark(Description = "full sketch: signature + content hash + sorted shingle set")]
    public int FullSketch()
    {
        var total = 0;
        foreach (var body in bodies)
        {
            total += sketcher.Sketch(body).Shingles.Count;
        }

        return total;
    }
}

/// <summary>LSH query latency on an index of 100k generated signatures: band keys, bucket probe, candidate list.</summary>
public class LshQueryBenchmarks
{
    private LshIndex index = null!;
    private ulong[][] queries = [];
    private readonly List<int> found = [];
    private int next;

    [GlobalSetup]
    public void Setup()
    {
        var parameters = LshParameters.Optimal(NearDuplicateOptions.Default.LshThreshold, 128);
        index = new LshIndex(parameters);
        var random = new Random(3);
        var signature = new uint[128];
        for (var i = 0; i < 100_000; i++)
        {
            for (var v = 0; v < signature.Length; v++)
            {
                signature[v] = (uint)random.Next();
            }

            index.Add(LshIndex.BandKeys(signature, parameters));
        }

        queries = [.. Enumerable.Range(0, 1024).Select(_ =>
        {
            for (var v = 0; v < signature.Length; v++)
            {
                signature[v] = (uint)random.Next();
            }

            return LshIndex.BandKeys(signature, parameters);
        })];
    }

    [Benchmark]
    public int Query()
    {
        found.Clear();
        index.Query(queries[next++ & 1023], found);
        return found.Count;
    }
}
