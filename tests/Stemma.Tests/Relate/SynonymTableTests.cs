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
