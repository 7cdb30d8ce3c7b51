using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Stemma.Present;
using Stemma.Web.Api;

namespace Stemma.Web.Tests.Api;

/// <summary>Every endpoint on the real server over loopback, with the samples ingested.</summary>
public sealed class ApiTests(SampleServer fixture) : IClassFixture<SampleServer>
{
    private const string SeawallStory = "seawall/aggregator-repost.txt";
    private readonly HttpClient client = fixture.Client;

    [Fact]
    public void Ingesting_the_samples_stores_every_file_and_says_what_each_joined()
    {
        var ingested = fixture.Ingested;
        Assert.Empty(ingested.Errors);
        Assert.Equal(Samples.Files().Count, ingested.Documents.Count);
        Assert.All(ingested.Documents, d => Assert.Equal("stored", d.Status));
        var edited = ingested.Documents.Single(d => d.Id == "seawall/edited-figures.txt");
        Assert.Equal(SeawallStory, edited.Story);
        Assert.Equal(5, edited.StorySize);
    }

    [Fact]
    public async Task Posting_one_raw_article_stores_it_under_the_given_name_and_reposting_changes_nothing()
    {
        var text = "Harbour cranes repainted\n\nThe three harbour cranes at Wendle quay were repainted in blue this week after a vote by dock workers, " +
                   "the port authority said on Friday. Painting took eleven days and cost 40,000 pounds.";
        using var first = await Samples.PostTextAsync(client, "/api/documents", text, "extra/cranes.txt");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = (await first.Content.ReadFromJsonAsync<IngestResponse>())!;
        Assert.Equal(1, body.Added);
        Assert.Equal("extra/cranes.txt", Assert.Single(body.Documents).Id);

        using var again = await Samples.PostTextAsync(client, "/api/documents", text, "extra/cranes.txt");
        Assert.Equal(1, (await again.Content.ReadFromJsonAsync<IngestResponse>())!.Unchanged);

        var document = await client.GetFromJsonAsync<DocumentResponse>("/api/documents/extra/cranes.txt");
        Assert.Equal("Harbour cranes repainted", document!.Title);
        Assert.Contains("eleven days", document.Body);
    }

    [Fact]
    public async Task A_raw_article_without_a_name_gets_an_id_from_its_content()
    {
        var text = "Library fines dropped\n\nThe county library has dropped overdue fines for children's books, the librarian said, after a year in which returns rose.";
        using var response = await Samples.PostTextAsync(client, "/api/documents", text);
        var id = Assert.Single((await response.Content.ReadFromJsonAsync<IngestResponse>())!.Documents).Id;
        Assert.StartsWith("upload-", id);
        using var again = await Samples.PostTextAsync(client, "/api/documents", text);
        Assert.Equal(id, Assert.Single((await again.Content.ReadFromJsonAsync<IngestResponse>())!.Documents).Id);
    }

    [Fact]
    public async Task A_document_comes_back_with_metadata_body_and_annotations_apart()
    {
        var document = (await client.GetFromJsonAsync<DocumentResponse>("/api/documents/seawall/syndicated-with-inserts.txt"))!;
        Assert.NotEmpty(document.Annotations);
        Assert.All(document.Annotations, a => Assert.DoesNotContain(a.Text, document.Body));
        Assert.Equal(SeawallStory, document.Story);

        var html = (await client.GetFromJsonAsync<DocumentResponse>("/api/documents/formats/original.html"))!;
        Assert.Equal("harbourgazette.example.com", html.Site);
        Assert.NotNull(html.Date);
    }

    [Fact]
    public async Task Unknown_document_is_a_404_problem()
    {
        using var response = await client.GetAsync("/api/documents/no/such.txt");
        await AssertProblemAsync(response, HttpStatusCode.NotFound, "no/such.txt");
    }

    [Fact]
    public async Task Stories_list_sorts_filters_and_pages()
    {
        var all = (await client.GetFromJsonAsync<StoryListResponse>("/api/stories"))!;
        Assert.True(all.Total >= 9);
        Assert.True(all.Stories[0].Size >= all.Stories[^1].Size);

        var seawall = (await client.GetFromJsonAsync<StoryListResponse>("/api/stories?q=seawall%20alder"))!;
        Assert.Equal(SeawallStory, Assert.Single(seawall.Stories).Id);

        var bySite = (await client.GetFromJsonAsync<StoryListResponse>("/api/stories?site=harbourgazette.example.com"))!;
        Assert.Contains(bySite.Stories, s => s.Title!.Contains("Kittiwake"));

        var newest = (await client.GetFromJsonAsync<StoryListResponse>("/api/stories?sort=newest"))!;
        Assert.NotNull(newest.Stories[0].EarliestDate);

        var beyond = (await client.GetFromJsonAsync<StoryListResponse>("/api/stories?page=50"))!;
        Assert.Empty(beyond.Stories);
        Assert.Equal(all.Total, beyond.Total);
    }

    [Theory]
    [InlineData("/api/stories?sort=sideways", "sort")]
    [InlineData("/api/stories?page=0", "page")]
    [InlineData("/api/stories?page=abc", "page")]
    [InlineData("/api/compare?a=seawall/original.txt", "two document ids")]
    public async Task Bad_query_input_is_a_400_problem_naming_it(string url, string named)
    {
        using var response = await client.GetAsync(url);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, named);
    }

    [Fact]
    public async Task A_story_has_its_members_labels_lineage_tree_and_changed_figures()
    {
        var story = (await client.GetFromJsonAsync<StoryResult>("/api/stories/" + SeawallStory))!;
        Assert.Equal(5, story.Size);
        Assert.Equal(5, story.Members.Count);
        var tree = Assert.Single(story.Trees);
        Assert.NotEmpty(tree.Edges);
        Assert.All(tree.Edges, e => Assert.False(string.IsNullOrEmpty(e.Relation)));
        Assert.Contains(story.Members, m => m.Id == "seawall/edited-figures.txt" && m.Relation == "edited");
        Assert.Contains(story.Trees.SelectMany(t => t.Edges).SelectMany(e => e.Changes), c => c.Kind == "figure" && c.Before == "$4.2 million" && c.After == "$4.8 million");
    }

    [Fact]
    public async Task Tree_edges_carry_direction_confidence_and_evidence_as_the_cli_json_does()
    {
        var story = (await client.GetFromJsonAsync<StoryResult>("/api/stories/" + SeawallStory))!;
        var tree = Assert.Single(story.Trees);
        var copies = tree.Edges.Where(e => !tree.Nodes.Single(n => n.Id == e.Parent).Outside).ToList();
        Assert.All(copies, e => Assert.Contains(e.Direction, new[] { "known", "unknown" }));
        Assert.All(copies, e => Assert.InRange(e.Confidence, 0.01, 1));
        Assert.All(copies, e => Assert.NotEmpty(e.Evidence));
        Assert.All(copies, e => Assert.Equal(e.TieBreak, e.Evidence.Any(x => x.Kind == "tie-break")));

        // original.txt and aggregator-repost.txt are the same bytes without dates: nothing tells which came first.
        var twins = Assert.Single(copies, e => new[] { e.Parent, e.Child }.Order().SequenceEqual(["seawall/aggregator-repost.txt", "seawall/original.txt"]));
        Assert.Equal("unknown", twins.Direction);
        Assert.True(twins.TieBreak);
        Assert.True(twins.Confidence <= 0.5, $"stated {twins.Confidence}");

        // The raw JSON names the fields as `analyze --json` does.
        using var raw = JsonDocument.Parse(await client.GetStringAsync("/api/stories/" + SeawallStory));
        var edge = raw.RootElement.GetProperty("trees")[0].GetProperty("edges")[0];
        Assert.All(new[] { "direction", "confidence", "tieBreak", "evidence" }, name => Assert.True(edge.TryGetProperty(name, out _), name));
    }

    [Fact]
    public async Task A_member_id_leads_to_its_story_even_after_the_story_was_renamed()
    {
        var story = (await client.GetFromJsonAsync<StoryResult>("/api/stories/seawall/edited-figures.txt"))!;
        Assert.Equal(SeawallStory, story.Id);
    }

    [Theory]
    [InlineData("/api/stories/seawall%2Fedited-figures.txt")]
    [InlineData("/api/stories/seawall%2fedited-figures.txt")]
    [InlineData("/api/stories/seawall/edited-figures.txt")]
    public async Task A_story_id_holding_a_slash_works_encoded_or_not(string url)
    {
        var story = (await client.GetFromJsonAsync<StoryResult>(url))!;
        Assert.Equal(SeawallStory, story.Id);
    }

    [Fact]
    public async Task A_document_id_holding_a_slash_works_encoded()
    {
        using var response = await client.GetAsync("/api/documents/seawall%2Fedited-figures.txt");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("seawall/edited-figures.txt", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_story_is_a_404_problem()
    {
        using var response = await client.GetAsync("/api/stories/nothing-here");
        await AssertProblemAsync(response, HttpStatusCode.NotFound, "nothing-here");
    }

    [Fact]
    public async Task Compare_aligns_two_versions_and_lists_the_changed_figures()
    {
        var compare = (await client.GetFromJsonAsync<CompareResult>("/api/compare?a=seawall/original.txt&b=seawall/edited-figures.txt"))!;
        Assert.Equal("edited", compare.Relation);
        Assert.NotEmpty(compare.Passages);
        Assert.All(compare.Passages, p => Assert.True(p.EndA > p.StartA && p.EndB > p.StartB));
        Assert.Contains(compare.Changes, c => c.Kind == "figure" && c.After == "$4.8 million");
        Assert.True(compare.CoverageB > 0.9);
    }

    [Fact]
    public async Task Compare_reports_the_dimensions_people_judge_and_the_evidence()
    {
        var copy = (await client.GetFromJsonAsync<CompareResult>("/api/compare?a=seawall/original.txt&b=seawall/edited-figures.txt"))!;
        var other = (await client.GetFromJsonAsync<CompareResult>("/api/compare?a=seawall/original.txt&b=unrelated/bakers.txt"))!;
        Assert.NotNull(copy.Evidence);
        Assert.NotNull(copy.Dimensions);
        Assert.NotNull(other.Dimensions);
        Assert.InRange(copy.Evidence.TermCosine, 0.8, 1.0);
        Assert.InRange(other.Evidence!.TermCosine, 0.0, 0.3);

        // An edited copy tells the same story as its source on every dimension; an unrelated article does not.
        var (c, o) = (copy.Dimensions, other.Dimensions);
        Assert.All(new[] { c.SamePlace, c.SamePeople, c.SameTime, c.SameNarrative, o.SamePlace, o.SamePeople, o.SameTime, o.SameNarrative }, v => Assert.InRange(v, 0.0, 1.0));
        Assert.True(c.SamePlace > o.SamePlace && c.SamePeople > o.SamePeople && c.SameNarrative > o.SameNarrative, $"copy {c}, unrelated {o}");
        Assert.True(c.SameNarrative >= 0.8, $"copy {c}");

        // The compare page says the same in words.
        var page = await client.GetStringAsync("/compare?a=seawall%2Foriginal.txt&b=seawall%2Fedited-figures.txt");
        Assert.Contains("as people judge news: same place", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_copy_tree_draws_an_edge_of_unknown_direction_without_an_arrowhead()
    {
        // seawall/original.txt and seawall/aggregator-repost.txt are the same bytes without dates: nothing tells which came first.
        var page = await client.GetStringAsync("/story?id=" + Uri.EscapeDataString(SeawallStory));
        var edges = System.Text.RegularExpressions.Regex.Matches(page, "<g class=\"edge ([^\"]*)\" data-parent=\"([^\"]*)\" data-child=\"([^\"]*)\">\\s*<title>[^<]*</title>\\s*<path ([^>]*)>");
        Assert.NotEmpty(edges);
        var pair = new[] { "seawall/original.txt", "seawall/aggregator-repost.txt" };
        var undirected = edges.Where(m => pair.Contains(m.Groups[2].Value) && pair.Contains(m.Groups[3].Value)).ToList();
        Assert.NotEmpty(undirected);
        Assert.All(undirected, m =>
        {
            Assert.Contains("undirected", m.Groups[1].Value, StringComparison.Ordinal);
            Assert.DoesNotContain("marker-end", m.Groups[4].Value, StringComparison.Ordinal);
        });

        // Edges whose direction is known keep their arrowheads.
        var directed = edges.Where(m => !m.Groups[1].Value.Contains("undirected", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(directed);
        Assert.All(directed, m => Assert.Contains("marker-end=\"url(#arrow-", m.Groups[4].Value, StringComparison.Ordinal));
        Assert.Contains("no arrowhead: one text", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_with_an_unknown_document_is_a_404_problem()
    {
        using var response = await client.GetAsync("/api/compare?a=seawall/original.txt&b=missing.txt");
        await AssertProblemAsync(response, HttpStatusCode.NotFound, "missing.txt");
    }

    [Fact]
    public async Task Check_finds_the_copies_with_relations_and_changes_and_stores_nothing()
    {
        var before = (await client.GetFromJsonAsync<StoryListResponse>("/api/stories"))!.Total;
        var original = await File.ReadAllTextAsync(Path.Combine(Samples.Folder, "seawall", "original.txt"));
        var changed = original.Replace("$4.2 million", "$5.6 million", StringComparison.Ordinal);
        using var response = await Samples.PostTextAsync(client, "/api/check", changed, "my-draft.txt");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var check = (await response.Content.ReadFromJsonAsync<CheckResponse>())!;
        var match = check.Matches.First(m => m.Id == "seawall/original.txt");
        Assert.Equal("edited", match.Relation);
        Assert.Equal(SeawallStory, match.Story);
        Assert.Contains(match.Changes, c => c.Kind == "figure" && c.Before == "$4.2 million" && c.After == "$5.6 million");

        // One figure changed in a whole article: most word shingles are shared, not all.
        Assert.InRange(match.Jaccard, 0.5, 0.999);
        Assert.InRange(match.Containment, match.Jaccard, 0.999);

        using var stored = await client.GetAsync("/api/documents/my-draft.txt");
        Assert.Equal(HttpStatusCode.NotFound, stored.StatusCode);
        Assert.Equal(before, (await client.GetFromJsonAsync<StoryListResponse>("/api/stories"))!.Total);
    }

    [Fact]
    public async Task Check_of_an_unrelated_article_has_no_matches()
    {
        using var response = await Samples.PostTextAsync(client, "/api/check", "Owl count\n\nVolunteers counted 212 barn owls in the valley this spring, twice the number seen five years ago, the bird trust said.");
        Assert.Empty((await response.Content.ReadFromJsonAsync<CheckResponse>())!.Matches);
    }

    [Fact]
    public async Task Check_takes_a_multipart_file_upload()
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(Samples.Folder, "formats", "repost.json"))), "file", "repost.json");
        using var response = await client.PostAsync("/api/check", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var check = (await response.Content.ReadFromJsonAsync<CheckResponse>())!;
        Assert.Contains(check.Matches, m => m.Id == "formats/original.html");
    }

    [Theory]
    [InlineData("/api/check")]
    [InlineData("/api/documents")]
    public async Task An_empty_or_unreadable_body_is_a_400_problem(string path)
    {
        using var empty = await Samples.PostTextAsync(client, path, string.Empty);
        await AssertProblemAsync(empty, HttpStatusCode.BadRequest, "empty");

        // One line of words is an article (a title-less, one-line text); a file without words is not.
        using var noWords = await Samples.PostTextAsync(client, path, "\n\n   \n— … —\n", "no-words.txt");
        await AssertProblemAsync(noWords, HttpStatusCode.BadRequest, "no-words.txt");

        using var form = new MultipartFormDataContent { { new StringContent("x"), "unrelated-field" } };
        using var noFile = await client.PostAsync(path, form);
        await AssertProblemAsync(noFile, HttpStatusCode.BadRequest, "no file");
    }

    [Fact]
    public async Task Check_refuses_a_batch()
    {
        using var content = new StringContent("{\"id\":\"a\",\"text\":\"first article body with enough words\"}\n{\"id\":\"b\",\"text\":\"second article body with enough words\"}\n");
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using var response = await client.PostAsync("/api/check?name=batch.jsonl", content);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "one article");
    }

    [Fact]
    public async Task An_unsupported_media_type_is_a_415_problem()
    {
        using var content = new StringContent("%PDF-1.4");
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        using var response = await client.PostAsync("/api/documents", content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_openapi_document_lists_every_endpoint()
    {
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/documents", paths);
        Assert.Contains("/api/check", paths);
        Assert.Contains("/api/stories", paths);
        Assert.Contains("/api/compare", paths);
        Assert.Contains(paths, p => p.StartsWith("/api/stories/{", StringComparison.Ordinal));
        Assert.Contains(paths, p => p.StartsWith("/api/documents/{", StringComparison.Ordinal));
        Assert.DoesNotContain("/story", paths);
    }

    [Theory]
    [InlineData("/stories")]
    [InlineData("/story?id=seawall%2Faggregator-repost.txt")]
    [InlineData("/api/stories")]
    [InlineData("/api/stories/unknown")]
    [InlineData("/assets/site.css")]
    [InlineData("/no/such/page")]
    public async Task Every_response_carries_the_security_headers(string url)
    {
        using var response = await client.GetAsync(url);
        var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Contains("object-src 'none'", csp);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Pages_render_for_every_kind_and_unknown_ids_are_404_pages()
    {
        foreach (var url in new[] { "/stories", "/stories?q=seawall&sort=newest&page=1", "/story?id=seawall%2Faggregator-repost.txt", "/document?id=seawall%2Foriginal.txt", "/compare?a=seawall%2Foriginal.txt&b=seawall%2Fexcerpt.txt", "/check" })
        {
            using var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, url);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        }

        foreach (var url in new[] { "/story?id=nope", "/document?id=nope", "/compare?a=nope&b=seawall%2Foriginal.txt" })
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var home = await client.GetAsync("/");
        Assert.Equal("/stories", home.Headers.Location?.OriginalString);
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailMentions)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.True(problem.RootElement.TryGetProperty("title", out _));
        var text = problem.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? string.Empty : string.Empty;
        Assert.Contains(detailMentions, text, StringComparison.OrdinalIgnoreCase);
    }
}
