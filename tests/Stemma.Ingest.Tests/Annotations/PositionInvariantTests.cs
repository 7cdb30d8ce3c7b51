using Stemma.Ingest.Annotations;
using Stemma.Ingest.Formats;

namespace Stemma.Ingest.Tests.Annotations;

/// <summary>Body plus annotations, put back in position order, must give the extracted paragraphs back exactly.</summary>
public sealed class PositionInvariantTests
{
    private static List<string> Rebuild(Article article)
    {
        var body = new Queue<string>(article.Body.Length == 0 ? [] : article.Body.Split("\n\n"));
        var byPosition = article.Annotations.ToDictionary(annotation => annotation.Position, annotation => annotation.Text);
        var total = body.Count + byPosition.Count;
        return [.. Enumerable.Range(0, total).Select(position => byPosition.TryGetValue(position, out var text) ? text : body.Dequeue())];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Assembler_and_corpus_pass_keep_every_paragraph_in_its_place(int seed)
    {
        var random = new Random(seed);
        const string footer = "This newsroom is supported by readers across the whole of the county.";
        var extracted = new List<List<string>>();
        var articles = new List<Article>();
        foreach (var story in GeneratedCorpus.Stories(seed, 30))
        {
            var paragraphs = new List<string>(story);
            for (var i = random.Next(4); i > 0; i--)
            {
                paragraphs.Insert(random.Next(paragraphs.Count + 1), GeneratedCorpus.Insertion(random).Text);
            }

            paragraphs.Insert(random.Next(paragraphs.Count + 1), footer);
            extracted.Add(paragraphs);
            articles.Add(ArticleAssembler.Build(new ArticleDraft
            {
                Id = $"a{articles.Count}",
                Title = "Some title",
                Paragraphs = [.. paragraphs.Select(p => new TextBlock(p))],
                Url = $"https://paper{seed}.example/{articles.Count}",
                Format = "test",
            }));
        }

        var annotated = CorpusAnnotator.Apply(articles);

        for (var index = 0; index < articles.Count; index++)
        {
            Assert.Equal(extracted[index], Rebuild(articles[index]));
            Assert.Equal(extracted[index], Rebuild(annotated[index]));
            Assert.Contains(annotated[index].Annotations, a => a.Kind == AnnotationKind.Boilerplate && a.Text == footer);
            Assert.Equal(annotated[index].Annotations.OrderBy(a => a.Position), annotated[index].Annotations);
        }
    }
}
