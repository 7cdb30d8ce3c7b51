using System.Net.Http.Json;
using Microsoft.Playwright;
using Stemma.Present;

namespace Stemma.Web.Tests.Browser;

/// <summary>
/// What a fact-checker sees at a glance, at laptop (1400 px) and phone (390 px) widths: every member named, the copy
/// tree's arrows and legend, labels inside their boxes, nothing wider than the phone, the lines a syndicated copy added.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class GlanceTests(BrowserFixture fixture)
{
    /// <summary>Every tree label's measured box against its node's box, in the visible drawing; one line per label that spills.</summary>
    private const string LabelOverflowScript = """
        () => {
          const problems = [];
          for (const svg of document.querySelectorAll('svg.lineage')) {
            if (svg.getBoundingClientRect().width === 0) continue;
            for (const node of svg.querySelectorAll('.node')) {
              const box = node.querySelector('rect').getBBox();
              for (const text of node.querySelectorAll('text')) {
                const t = text.getBBox();
                if (t.x < box.x - 0.5 || t.x + t.width > box.x + box.width + 0.5 || t.y < box.y - 0.5 || t.y + t.height > box.y + box.height + 0.5) {
                  problems.push(text.textContent + ' [' + Math.round(t.x) + '+' + Math.round(t.width) + ' in ' + Math.round(box.x) + '+' + Math.round(box.width) + ']');
                }
              }
            }
          }
          return problems;
        }
        """;

    private const string VisibleDrawingsScript = "() => [...document.querySelectorAll('svg.lineage')].filter(s => s.getBoundingClientRect().width > 0).length";

    [Theory]
    [InlineData(1400, 900, "seawall/edited-figures.txt", "seawall")]
    [InlineData(390, 844, "seawall/edited-figures.txt", "seawall")]
    [InlineData(1400, 900, "formats/original.html", "formats")]
    [InlineData(390, 844, "formats/original.html", "formats")]
    public async Task A_story_names_every_member_and_draws_a_tree_with_arrows_a_legend_and_labels_inside_their_boxes(int width, int height, string member, string name)
    {
        var (page, _) = await fixture.NewPageAsync(width, height);
        await page.GotoAsync("/story?id=" + Uri.EscapeDataString(member));

        var story = (await fixture.Server.Client.GetFromJsonAsync<Stemma.Present.StoryResult>("/api/stories/" + Uri.EscapeDataString(member)))!;
        var shownIds = await page.Locator("table.members a.member-id").EvaluateAllAsync<string[]>("links => links.filter(a => a.getBoundingClientRect().width > 0 && a.textContent.trim().length > 0).map(a => a.title)");
        foreach (var m in story.Members)
        {
            Assert.Contains(m.Id, shownIds);
        }

        Assert.Equal(1, await page.EvaluateAsync<int>(VisibleDrawingsScript));
        var visibleTree = page.Locator(width < 720 ? "svg.lineage.tall" : "svg.lineage.wide").First;
        Assert.True(await visibleTree.IsVisibleAsync());
        var edges = visibleTree.Locator("g.edge path");
        Assert.True(await edges.CountAsync() >= 3);
        // Every edge whose direction is known ends in an arrowhead that exists; an edge of unknown direction (identical
        // undated texts) has none and says so in its class.
        var arrows = 0;
        foreach (var markerEnd in await edges.EvaluateAllAsync<string[]>(
            "paths => paths.map(p => p.closest('g.edge').classList.contains('undirected') ? 'undirected:' + (p.getAttribute('marker-end') ?? '') : (p.getAttribute('marker-end') ?? ''))"))
        {
            if (markerEnd.StartsWith("undirected:", StringComparison.Ordinal))
            {
                Assert.Equal("undirected:", markerEnd);
                continue;
            }

            var id = markerEnd.Replace("url(#", string.Empty, StringComparison.Ordinal).TrimEnd(')');
            Assert.Equal(1, await visibleTree.Locator($"marker[id='{id}'] path").CountAsync());
            arrows++;
        }

        Assert.True(arrows >= 3, "the directed edges carry arrowheads");

        var legend = await page.Locator("ul.tree-legend").First.InnerTextAsync();
        Assert.Contains("points from a source to the copy", legend);
        Assert.Contains("the same text, with small differences", legend);
        Assert.Empty(await page.EvaluateAsync<string[]>(LabelOverflowScript));

        var treeBox = await visibleTree.BoundingBoxAsync();
        if (width < 720)
        {
            Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "no sideways scrolling at phone width");
            Assert.True(treeBox!.X + treeBox.Width <= width, "the tall tree fits the phone");
            var boxes = await visibleTree.Locator(".node rect").CountAsync();
            Assert.Equal(story.Trees.Sum(t => t.Nodes.Count), boxes);
        }

        await BrowserFixture.ScreenshotAsync(page, $"glance-story-{name}-{width}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_story_is_titled_after_its_original_not_after_an_edited_copy()
    {
        var (page, _) = await fixture.NewPageAsync(1400, 900);
        await page.GotoAsync("/story?id=" + Uri.EscapeDataString("night-trains/edited.txt"));
        var title = await page.Locator("h1").InnerTextAsync();
        Assert.Contains("38 percent", title);
        Assert.DoesNotContain("45 percent", title);
        var edited = page.Locator("table.members tr", new PageLocatorOptions { Has = page.Locator("a.member-id[title='night-trains/edited.txt']") });
        Assert.Contains("Confidence", await edited.InnerTextAsync());
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData(1400, 900)]
    [InlineData(390, 844)]
    public async Task The_compare_page_of_a_syndicated_copy_lists_the_lines_it_inserted_on_its_side(int width, int height)
    {
        var (page, _) = await fixture.NewPageAsync(width, height);

        // Asked in the wrong order: the copy with the added lines goes right all the same.
        await page.GotoAsync("/compare?a=seawall%2Fsyndicated-with-inserts.txt&b=seawall%2Foriginal.txt");
        var heads = await page.Locator(".side-head a.member-id").EvaluateAllAsync<string[]>("links => links.map(a => a.title)");
        Assert.Equal(["seawall/original.txt", "seawall/syndicated-with-inserts.txt"], heads);

        var inserted = await page.Locator(".compare-row.row-wrapping .side.right").AllInnerTextsAsync();
        Assert.Contains(inserted, t => t.Contains("READ MORE: Ferry to Gull Island resumes", StringComparison.Ordinal));
        Assert.Contains(inserted, t => t.Contains("Leave a Reply", StringComparison.Ordinal));
        Assert.Contains(inserted, t => t.Contains("Related article: How small towns are paying", StringComparison.Ordinal));
        Assert.True(await page.Locator(".compare-row.row-wrapping .side.right").First.IsVisibleAsync());

        // Where it stood: the read-more line comes after the first paragraph and before the one about the wall.
        var rows = await page.Locator(".compare-row").AllInnerTextsAsync();
        var readMore = rows.ToList().FindIndex(r => r.Contains("READ MORE: Ferry", StringComparison.Ordinal));
        var wall = rows.ToList().FindIndex(r => r.Contains("The wall, built in 1962", StringComparison.Ordinal));
        Assert.True(readMore >= 0 && wall > readMore, $"read-more at row {readMore}, the wall paragraph at {wall}");

        var changes = await page.Locator("ul.changes").InnerTextAsync();
        Assert.Contains("READ MORE: Ferry to Gull Island", changes);
        var summary = await page.Locator("p.summary").InnerTextAsync();
        Assert.DoesNotContain(" of the left", summary.Replace("copy of the left", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        if (width < 720)
        {
            Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "no sideways scrolling at phone width");
        }

        await BrowserFixture.ScreenshotAsync(page, $"glance-compare-inserts-{width}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Compare_puts_the_whole_text_left_of_its_excerpt_and_summarises_a_long_drop()
    {
        var (page, _) = await fixture.NewPageAsync(1400, 900);
        await page.GotoAsync("/compare?a=seawall%2Fexcerpt.txt&b=seawall%2Foriginal.txt");
        var heads = await page.Locator(".side-head a.member-id").EvaluateAllAsync<string[]>("links => links.map(a => a.title)");
        Assert.Equal(["seawall/original.txt", "seawall/excerpt.txt"], heads);
        var longDrop = page.Locator("ul.changes details.long-change summary del");
        Assert.True(await longDrop.CountAsync() >= 1);
        var text = await longDrop.First.InnerTextAsync();
        Assert.Matches(@"\(\d+ words\)$", text);
        Assert.True(text.Length < 300, "a long drop reads as its first and last words");
        await BrowserFixture.ScreenshotAsync(page, "glance-compare-excerpt");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Identical_versions_read_is_identical_to()
    {
        var (page, _) = await fixture.NewPageAsync(1400, 900);
        await page.GotoAsync("/compare?a=seawall%2Foriginal.txt&b=seawall%2Foriginal.txt");
        var summary = await page.Locator("p.summary").InnerTextAsync();
        Assert.Contains("is identical to the left one", summary);
        await page.Context.CloseAsync();
    }
}
