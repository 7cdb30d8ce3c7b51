using Microsoft.Playwright;

namespace Stemma.Web.Tests.Browser;

/// <summary>What a person sees in Chromium: the stories, a copy tree, the side-by-side compare, a document, the check form.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_stories_list_shows_the_sample_stories_and_searches_them()
    {
        var (page, _) = await fixture.NewPageAsync();
        await page.GotoAsync("/stories");
        var titles = await page.Locator("a.story-link").AllInnerTextsAsync();
        Assert.Contains(titles, t => t.Contains("seawall", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(titles, t => t.Contains("night trains", StringComparison.OrdinalIgnoreCase));
        await BrowserFixture.ScreenshotAsync(page, "stories");

        await page.FillAsync("input[name=q]", "kittiwake");
        await ClickAndWaitForAsync(page, () => page.ClickAsync("form.search button"), @"/stories\?q=kittiwake");
        Assert.Equal(1, await page.Locator("a.story-link").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_story_draws_its_copy_tree_with_labeled_edges_and_lists_members_and_changed_figures()
    {
        var (page, _) = await fixture.NewPageAsync();
        await page.GotoAsync("/stories?q=seawall");
        await ClickAndWaitForAsync(page, () => page.ClickAsync("a.story-link"), @"/story\?id=");

        var tree = page.Locator("svg.lineage.wide");
        Assert.True(await tree.IsVisibleAsync());
        Assert.True(await tree.Locator("rect").CountAsync() >= 5);
        var labels = await tree.Locator("text.edge-label").AllTextContentsAsync();
        Assert.True(labels.Count >= 4);
        Assert.Contains("edited", labels);
        Assert.All(labels, l => Assert.False(string.IsNullOrWhiteSpace(l)));
        Assert.True(await tree.Locator("g.node.outside").CountAsync() >= 1, "the credited outside origin is drawn");

        Assert.Equal(5, await page.Locator("table.members tbody tr").CountAsync());
        var changes = await page.Locator("ul.changes").InnerTextAsync();
        Assert.Contains("$4.8 million", changes);
        await BrowserFixture.ScreenshotAsync(page, "story");

        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "story-phone");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_compare_page_shows_both_versions_with_shared_passages_and_changed_figures_highlighted()
    {
        var (page, _) = await fixture.NewPageAsync();
        await page.GotoAsync("/story?id=" + Uri.EscapeDataString("seawall/aggregator-repost.txt"));
        await ClickAndWaitForAsync(page, () => page.Locator("a.compare-link").First.ClickAsync(), @"/compare\?");
        await page.GotoAsync("/compare?a=seawall%2Foriginal.txt&b=seawall%2Fedited-figures.txt");

        var shared = page.Locator(".compare-row.row-shared");
        Assert.True(await shared.CountAsync() >= 1);
        Assert.True(await shared.First.IsVisibleAsync());
        var left = page.Locator(".compare-row.row-shared .side.left mark.fact");
        var right = page.Locator(".compare-row.row-shared .side.right mark.fact");
        Assert.True(await right.First.IsVisibleAsync());
        Assert.Contains("$4.2 million", await left.AllInnerTextsAsync());
        Assert.Contains("$4.8 million", await right.AllInnerTextsAsync());
        var background = await right.First.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.NotEqual("rgba(0, 0, 0, 0)", background);

        var leftBox = await page.Locator(".compare-row.row-shared .side.left").First.BoundingBoxAsync();
        var rightBox = await page.Locator(".compare-row.row-shared .side.right").First.BoundingBoxAsync();
        Assert.True(rightBox!.X > leftBox!.X + (leftBox.Width / 2), "side by side on a laptop");
        await BrowserFixture.ScreenshotAsync(page, "compare");

        await page.GotoAsync("/compare?a=seawall%2Foriginal.txt&b=seawall%2Fsyndicated-with-inserts.txt");
        await BrowserFixture.ScreenshotAsync(page, "compare-inserts");

        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/compare?a=seawall%2Foriginal.txt&b=seawall%2Fedited-figures.txt");
        var narrowLeft = await page.Locator(".compare-row.row-shared .side.left").First.BoundingBoxAsync();
        var narrowRight = await page.Locator(".compare-row.row-shared .side.right").First.BoundingBoxAsync();
        Assert.True(narrowRight!.Y > narrowLeft!.Y, "stacked on a phone");
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "no sideways scrolling at phone width");
        await BrowserFixture.ScreenshotAsync(page, "compare-phone");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_document_page_shows_its_annotations_apart_from_the_body()
    {
        var (page, _) = await fixture.NewPageAsync();
        await page.GotoAsync("/document?id=" + Uri.EscapeDataString("seawall/syndicated-with-inserts.txt"));
        var annotations = await page.Locator("aside ul.annotations li").AllInnerTextsAsync();
        Assert.NotEmpty(annotations);
        var body = await page.Locator("article .body").InnerTextAsync();
        Assert.DoesNotContain(annotations[0].Split(' ', 2)[1].Trim('"', '“', '”'), body);
        await BrowserFixture.ScreenshotAsync(page, "document");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_check_page_finds_the_copies_of_a_pasted_article()
    {
        var (page, _) = await fixture.NewPageAsync();
        await page.GotoAsync("/check");
        var original = await File.ReadAllTextAsync(Path.Combine(Samples.Folder, "night-trains", "original.txt"));
        await page.FillAsync("textarea[name=text]", original.Replace("45 percent", "60 percent", StringComparison.Ordinal));
        await page.ClickAsync("form.check button");
        await page.WaitForSelectorAsync(".check-result");
        var result = await page.Locator(".check-result").InnerTextAsync();
        Assert.Contains("night-trains", await page.Locator(".check-result").InnerHTMLAsync());
        Assert.Contains("edited", result);
        await BrowserFixture.ScreenshotAsync(page, "check");
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// Starts waiting for the navigation before the click that causes it, so a fast page cannot load in between
    /// (waiting after the click raced the navigation and could hang); the DOM being ready is enough to assert on.
    /// </summary>
    private static async Task ClickAndWaitForAsync(IPage page, Func<Task> click, string urlPattern)
    {
        var navigated = page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(urlPattern), new PageWaitForURLOptions { WaitUntil = WaitUntilState.DOMContentLoaded });
        await click();
        await navigated;
    }
}
