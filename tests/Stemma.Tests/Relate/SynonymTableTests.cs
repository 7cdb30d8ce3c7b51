using Stemma.Relate;

namespace Stemma.Tests.Relate;

public class SynonymTableTests
{
    [Fact]
    public void The_shipped_wordnet_table_knows_common_synonyms_and_inflected_forms()
    {
        var table = SynonymTable.WordNet;
        Assert.True(table.SynsetCount > 20_000);
        Assert.True(table.AreSynonyms("big", "large"));
        Assert.True(table.AreSynonyms("Large", "big"));
        Assert.True(table.AreSynonyms("companies", "troupe"));
        Assert.True(table.AreSynonyms("rose", "hike"));
        Assert.True(table.AreSynonyms("raised", "hike"));
        Assert.False(table.AreSynonyms("big", "big"));
        Assert.False(table.AreSynonyms("big", "harbour"));
        Assert.False(table.AreSynonyms("2.5", "3"));
        Assert.False(table.AreSynonyms("", "big"));
    }

    [Fact]
    public void A_table_reads_synsets_and_irregular_forms()
    {
        var table = SynonymTable.Read(new StringReader("# test\ns ferry boat\ns swift quick fast\nx swiftest swift\nx geese goose\n"));
        Assert.Equal(2, table.SynsetCount);
        Assert.True(table.AreSynonyms("ferries", "boats"));
        Assert.True(table.AreSynonyms("swiftest", "quick"));
        Assert.True(table.AreSynonyms("quicker", "fast"));
        Assert.False(table.AreSynonyms("ferry", "quick"));
        Assert.False(table.AreSynonyms("geese", "ferry"));
        Assert.True(table.HasSynonyms("Ferry"));
        Assert.False(table.HasSynonyms("harbour"));
    }
}

public class SynonymSwapTests
{
    [Fact]
    public void Swapping_words_for_synonyms_is_counted_and_reported_as_wording()
    {
        const string original = "The council said on Tuesday that the big new bridge would be finished quickly, and the mayor agreed that the cost was large but fair for the city.";
        const string spun = "The council said on Tuesday that the large new bridge would be completed rapidly, and the mayor agreed that the cost was big but fair for the city.";
        var comparison = PairComparer.Compare(original, spun);
        Assert.True(comparison.Evidence.SynonymSwaps >= 3, $"{comparison.Evidence.SynonymSwaps} synonym swaps");
        Assert.DoesNotContain(comparison.Changes, c => c.Kind == ChangeKind.Entity);
        Assert.Contains(comparison.Changes, c => c.Kind == ChangeKind.Wording && c.Before == "big" && c.After == "large");
        Assert.Equal(Relations.Spun, comparison.Relation);
    }
}
