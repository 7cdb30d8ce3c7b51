using BenchmarkDotNet.Attributes;
using Stemma.Align;
using Stemma.Relate;
using Stemma.Testing.Corpus;

namespace Stemma.Bench;

/// <summary>Alignment and pair comparison of two ~5 kB articles (target: alignment under 1 ms).</summary>
[MemoryDiagnoser]
public class AlignBenchmarks
{
    private TokenizedText original = null!;
    private TokenizedText edited = null!;
    private TokenizedText spun = null!;
    private TextFeatures originalFeatures = null!;
    private TextFeatures spunFeatures = null!;
    private string originalText = null!;
    private string spunText = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new CorpusOptions { MinSentences = 40, MaxSentences = 40 };
        var editedChain = new SyntheticCorpus(5, options).GenerateChain("b", CopyOperation.Edited);
        var spunChain = new SyntheticCorpus(5, options).GenerateChain("b", CopyOperation.Spun);
        originalText = editedChain[0].Body;
        spunText = spunChain[1].Body;
        Console.WriteLine($"// article sizes: {originalText.Length} and {spunText.Length} characters");
        original = TokenizedText.Create(originalText);
        edited = TokenizedText.Create(editedChain[1].Body);
        spun = TokenizedText.Create(spunText);
        originalFeatures = TextFeatures.Create(original);
        spunFeatures = TextFeatures.Create(spun);
    }

    [Benchmark(Baseline = true)]
    public Alignment AlignEditedCopy() => PassageAligner.Default.Align(original, edited);

    [Benchmark]
    public Alignment AlignSpunCopy() => PassageAligner.Default.Align(original, spun);

    /// <summary>From raw strings: tokenizing both texts included.</summary>
    [Benchmark]
    public Alignment AlignSpunCopyFromText() => PassageAligner.Default.Align(originalText, spunText);

    /// <summary>Everything a candidate pair costs in <see cref="StoryAnalyzer"/>: alignment, changes, evidence, label.</summary>
    [Benchmark]
    public Comparison CompareSpunCopy() => PairComparer.Compare(originalFeatures, spunFeatures);
}
