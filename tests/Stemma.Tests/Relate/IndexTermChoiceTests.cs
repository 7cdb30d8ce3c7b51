using Stemma.Relate;

namespace Stemma.Tests.Relate;

/// <summary>
/// A document's index terms are chosen once per statistics object (<see cref="TermIndex.ChooseTerms(TextFeatures, TermStatistics, StoryAnalyzerOptions)"/>
/// keeps them with its cached weights): a later call with the same index settings gets the same arrays, one with other
/// settings or other statistics chooses anew, and every choice equals the one made on features never asked before. The
/// term index (<see cref="TermIndex.Build"/>) takes a kept choice and keeps none of its own.
/// </summary>
public class IndexTermChoiceTests
{
    private static readonly string[] Texts =
    [
        "Mayor Alice Brown of Riverton said on Tuesday that 42 bridges need repair, costing 3.5 million dollars in March.",
        "The Riverton council voted 7 to 2 to fund bridge repairs after Mayor Alice Brown warned of closures.",
        "A storm hit the coast of Westport on Monday, and Governor Carl Diaz declared an emergency for 12 counties.",
        "Governor Carl Diaz toured Westport, where the storm left 3,000 homes without power and closed 4 schools.",
        "Scientists at the Lund observatory found a comet that will pass Earth in 2031, said lead author Maria Holm.",
        "Football club Riverton United signed striker Paolo Conte for 18 million, the club said on Friday.",
    ];

    private static TextFeatures[] Fresh() => [.. Texts.Select(TextFeatures.Create)];

    // A store of many documents holding every term a few times (a term held once is never an index term).
    private static TermStatistics Statistics(IEnumerable<TextFeatures> features, int documents) =>
        TermStatistics.FromFrequencies(features.SelectMany(f => f.TermHashes).Distinct().Select(t => (t, 2 + (int)(t % 40))), documents);

    [Fact]
    public void A_choice_is_kept_for_the_same_settings_and_made_again_for_others()
    {
        var options = new StoryAnalyzerOptions();
        var fewer = options with { IndexTermsPerDocument = 2 };
        var features = Fresh();
        var statistics = Statistics(features, 1000);
        for (var d = 0; d < features.Length; d++)
        {
            var first = TermIndex.ChooseTerms(features[d], statistics, options);
            var again = TermIndex.ChooseTerms(features[d], statistics, options);
            Assert.Same(first.Terms, again.Terms);
            Assert.Same(first.Weights, again.Weights);
            Assert.Equal(first.Norm, again.Norm);
            AssertSameChoice(TermIndex.ChooseTerms(Fresh()[d], statistics, options), first);
            Assert.True(first.Terms.Length > 2);

            // Other settings: chosen under them, not the kept choice.
            var few = TermIndex.ChooseTerms(features[d], statistics, fewer);
            Assert.Equal(2, few.Terms.Length);
            AssertSameChoice(TermIndex.ChooseTerms(Fresh()[d], statistics, fewer), few);

            // Other statistics (a larger store, so other weights and caps): chosen under them.
            var other = Statistics(features, 4000);
            AssertSameChoice(TermIndex.ChooseTerms(Fresh()[d], other, options), TermIndex.ChooseTerms(features[d], other, options));
            Assert.NotSame(first.Weights, TermIndex.ChooseTerms(features[d], other, options).Weights);

            // Weights let go: the choice goes with them.
            features[d].ForgetWeights();
            var remade = TermIndex.ChooseTerms(features[d], statistics, options);
            Assert.NotSame(first.Terms, remade.Terms);
            AssertSameChoice(first, remade);
        }
    }

    [Fact]
    public void The_term_index_takes_kept_choices_and_keeps_none()
    {
        var options = new StoryAnalyzerOptions();
        var fresh = Fresh();
        var statistics = Statistics(fresh, 1000);
        var expected = TermIndex.Build(fresh, statistics, options).Candidates(options, CancellationToken.None);
        Assert.All(fresh, f => Assert.Null(f.Weighted(statistics).IndexTerms));

        // Half the documents had their terms chosen (as a region's probes have by its look-up): the same candidates.
        var features = Fresh();
        for (var d = 0; d < features.Length; d += 2)
        {
            TermIndex.ChooseTerms(features[d], statistics, options);
        }

        Assert.Equal(expected, TermIndex.Build(features, statistics, options).Candidates(options, CancellationToken.None));
        Assert.NotEmpty(expected);
    }

    private static void AssertSameChoice((uint[] Terms, float[] Weights, float Norm) expected, (uint[] Terms, float[] Weights, float Norm) actual)
    {
        Assert.Equal(expected.Terms, actual.Terms);
        Assert.Equal(expected.Weights, actual.Weights);
        Assert.Equal(expected.Norm, actual.Norm);
    }
}
