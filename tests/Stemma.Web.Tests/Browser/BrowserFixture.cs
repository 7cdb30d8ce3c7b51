using Microsoft.Playwright;

namespace Stemma.Web.Tests.Browser;

/// <summary>
/// Debian's headless Chromium driven by Playwright (no browser download), over a server holding the samples and a
/// hostile article with a copy of it.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string HostileId = "hostile/original.txt";
    public const string HostileCopyId = "hostile/copy.txt";

    /// <summary>Markup that would set window.__stemmaPwned if any of it ran.</summary>
    public const string HostileTitle = "Harbour lights <script>window.__stemmaPwned='title'</script> vote <img src=x onerror=\"window.__stemmaPwned='img-title'\">";

    private IPlaywright? playwright;

    public RunningServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static string HostileText(string lamps) =>
        HostileTitle + "\n\n" +
        "The town council <script>window.__stemmaPwned='body'</script> met on Tuesday evening to vote on new harbour lights for the old quay. " +
        "<img src=x onerror=\"window.__stemmaPwned='img'\"> Councillors approved " + lamps + " lamps at a cost of 9,000 pounds after a short debate.\n\n" +
        "Read more at <a href=\"javascript:window.__stemmaPwned='link'\">javascript:window.__stemmaPwned='link'</a> before the lights go up. " +
        "The harbour master, Agnes Pell, said the quay had been too dark for fishermen unloading at night since the old lamps failed in the winter storms. " +
        "Installation is due to start in June and should take three weeks, with the quay closed to cars on two weekends.";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ScreenshotFolder);
        Server = await RunningServer.StartAsync();
        await Samples.IngestAllAsync(Server.Client);
        using (var original = await Samples.PostTextAsync(Server.Client, "/api/documents", HostileText("12"), HostileId))
        {
            original.EnsureSuccessStatusCode();
        }

        using (var copy = await Samples.PostTextAsync(Server.Client, "/api/documents", HostileText("14"), HostileCopyId))
        {
            copy.EnsureSuccessStatusCode();
        }

        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // Playwright gives each launch a fresh temporary profile (user data dir).
            ExecutablePath = ChromiumPath(),
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A page with a recorder for dialogs and console errors, so a test can assert nothing ran.</summary>
    public async Task<(IPage Page, List<string> Dialogs)> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = Server.Address.ToString() });
        var page = await context.NewPageAsync();

        // The CI machine is shared; a slow moment must not fail a test that would pass.
        page.SetDefaultTimeout(90_000);
        page.SetDefaultNavigationTimeout(90_000);
        var dialogs = new List<string>();
        page.Dialog += async (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        return (page, dialogs);
    }

    public static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        playwright?.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>The real binary: /usr/bin/chromium is a wrapper script on Debian.</summary>
    private static string ChromiumPath()
    {
        foreach (var candidate in new[] { Environment.GetEnvironmentVariable("STEMMA_CHROMIUM"), "/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser" })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("Chromium not found: install the Debian 'chromium' package or set STEMMA_CHROMIUM");
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
