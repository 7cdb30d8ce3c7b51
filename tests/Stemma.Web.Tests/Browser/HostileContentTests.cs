using Microsoft.Playwright;

namespace Stemma.Web.Tests.Browser;

/// <summary>An article whose title and body carry script, an onerror image and javascript: links is shown as text everywhere and nothing of it runs.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HostileContentTests(BrowserFixture fixture)
{
    public static TheoryData<string, string> Pages => new()
    {
        { "/stories?q=harbour%20lights", "hostile-stories" },
        { "/story?id=" + Uri.EscapeDataString(BrowserFixture.HostileCopyId), "hostile-story" },
        { "/document?id=" + Uri.EscapeDataString(BrowserFixture.HostileId), "hostile-document" },
        { $"/compare?a={Uri.EscapeDataString(BrowserFixture.HostileId)}&b={Uri.EscapeDataString(BrowserFixture.HostileCopyId)}", "hostile-compare" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Ingested_markup_is_shown_as_text_and_never_runs(string url, string screenshot)
    {
        var (page, dialogs) = await fixture.NewPageAsync();
        // The story is named after its smallest member id, hostile/copy.txt.
        var response = await page.GotoAsync(url);
        Assert.Equal(200, response!.Status);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await AssertInertAsync(page, dialogs);
        var text = await page.Locator("main").InnerTextAsync();
        Assert.Contains("<script>", text);
        Assert.Contains("onerror", text);

        if (url.StartsWith("/document", StringComparison.Ordinal) || url.StartsWith("/compare", StringComparison.Ordinal))
        {
            Assert.Contains("javascript:", text);
        }

        await BrowserFixture.ScreenshotAsync(page, screenshot);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Checking_a_hostile_article_shows_it_as_text()
    {
        var (page, dialogs) = await fixture.NewPageAsync();
        await page.GotoAsync("/check");
        await page.FillAsync("textarea[name=text]", BrowserFixture.HostileText("16"));
        await page.ClickAsync("form.check button");
        await page.WaitForSelectorAsync(".check-result");
        await AssertInertAsync(page, dialogs);
        Assert.Contains("<script>", await page.Locator(".check-result").InnerTextAsync());
        await BrowserFixture.ScreenshotAsync(page, "hostile-check");
        await page.Context.CloseAsync();
    }

    private static async Task AssertInertAsync(IPage page, List<string> dialogs)
    {
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__stemmaPwned === 'undefined'"), "no ingested script or handler ran");
        Assert.Empty(dialogs);
        Assert.Equal(0, await page.Locator("main script, main img, main iframe, [onerror], a[href^='javascript' i]").CountAsync());
    }
}
