using System.Text;
using Stemma.Pipeline;
using Stemma.Relate;

namespace Stemma.Tests.Pipeline;

/// <summary>Chinese and Japanese are written without spaces between words; their copies are found as copies all the same.</summary>
public class UnspacedScriptTests
{
    // Clauses of random ideographs drawn from a story's own vocabulary of one- to three-character words.
    private static List<string> Clauses(int seed, int count)
    {
        var random = new Random(seed);
        var vocabulary = Enumerable.Range(0, 300)
            .Select(_ => new string([.. Enumerable.Range(0, random.Next(1, 4)).Select(_ => (char)(0x4E00 + random.Next(3000)))]))
            .ToList();
        return [.. Enumerable.Range(0, count).Select(_ => string.Concat(Enumerable.Range(0, random.Next(12, 26)).Select(_ => vocabulary[random.Next(vocabulary.Count)])))];
    }

    private static string Body(IReadOnlyList<string> clauses)
    {
        var body = new StringBuilder();
        for (var i = 0; i < clauses.Count; i += 3)
        {
            body.Append(string.Join('，', clauses.Skip(i).Take(3))).Append("。\n\n");
        }

        return body.ToString();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_chinese_copy_with_a_character_changed_in_every_other_clause_is_an_edited_copy(int seed)
    {
        var clauses = Clauses(seed, 30);
        // Every other clause has its sixth character replaced, as a figure or a name changed by the copier.
        var edited = clauses.Select((c, i) => i % 2 == 1 ? c[..5] + "九" + c[6..] : c).ToList();
        Article Make(string id, IReadOnlyList<string> text) => new() { Id = id, Title = "市政府宣布新的交通计划", Body = Body(text) };
        var articles = new[] { Make("original", clauses), Make("edited", edited), Make("other", Clauses(seed + 100, 30)) };

        var documents = CorpusAnalyzer.Analyze(articles).Documents.ToDictionary(d => d.Id);

        Assert.Equal(documents["original"].Family, documents["edited"].Family);
        Assert.Contains(documents["edited"].Relation ?? documents["original"].Relation, new[] { Relations.Edited, Relations.Copy });
        Assert.NotEqual(documents["original"].Family, documents["other"].Family);
    }
}
