using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stemma.Storage;
using Stemma.Storage.PostgreSql;
using Stemma.Storage.Sqlite;
using Stemma.Web.Api;
using Stemma.Web.Pages;
using Stemma.Web.Services;

namespace Stemma.Web;

/// <summary>The `stemma serve` host: JSON API, server-rendered pages and their assets over one store (SQLite or PostgreSQL).</summary>
public static class StemmaServer
{
    /// <summary>The kinds of store this host opens when <see cref="ServeOptions.Stores"/> is not set: SQLite files and PostgreSQL servers.</summary>
    public static StoreOpener DefaultStores { get; } = new(new SqliteStoreProvider(), new PostgreSqlStoreProvider());

    /// <summary>Builds the app without starting it (tests start it on port 0 and read the bound address).</summary>
    /// <exception cref="StoreException"><see cref="ServeOptions.DbPath"/> names no kind of store this host opens.</exception>
    public static WebApplication Build(ServeOptions options, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (ServeOptions.ValidateUrls(options.Urls) is { } badUrls)
        {
            throw new ArgumentException(badUrls, nameof(options));
        }

        // An unknown scheme fails here, before the host starts; an unusable store fails the start (StoreInitializer).
        var stores = options.Stores ?? DefaultStores;
        if (options.Store is null)
        {
            stores.Resolve(options.DbPath);
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args ?? [] });
        builder.WebHost.UseUrls(options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxBodyBytes;
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // A store that cannot be opened fails the start; the caller reports it in one line, without the host's stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(stores);
        services.AddSingleton(_ => new StemmaCatalog(options.Store is { } given ? given() : stores.Create(options.DbPath)));
        services.AddHostedService<StoreInitializer>();
        services.AddSingleton<WarmUp>();
        services.AddHostedService(provider => provider.GetRequiredService<WarmUp>());
        services.Configure<FormOptions>(form => form.MultipartBodyLengthLimit = options.MaxBodyBytes);
        // Binding failures (page=abc) throw so they become problem details that say which parameter was wrong.
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        // A request that runs past the limit is cancelled (its token fires) and answered 503.
        services.AddRequestTimeouts(timeouts => timeouts.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = options.Limits.RequestTimeout,
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
        });
        services.AddProblemDetails();
        services.AddAntiforgery();
        services.AddRazorComponents();
        services.AddOpenApi();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<RejectedRequestMiddleware>();
        app.UseRequestTimeouts();
        app.UseAntiforgery();

        app.MapOpenApi();
        app.MapStemmaApi(options);
        app.MapStemmaPages();
        app.MapAssets();
        return app;
    }

    /// <summary>Serves until <paramref name="cancellationToken"/> fires.</summary>
    public static async Task RunAsync(ServeOptions options, CancellationToken cancellationToken)
    {
        await using var app = Build(options);
        await app.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Creates or migrates the schema before the first request, so a bad database fails the start, not a page.</summary>
    private sealed class StoreInitializer(StemmaCatalog catalog) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => catalog.Store.InitializeAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>
/// Right after start, in the background, asks this server for what a first visit needs (the stories list, the largest
/// story's page, a compare and a document), so the code is compiled and the story analysed before anyone asks: the
/// first real page is then as fast as later ones. Requests go over loopback to the server's own address, through the
/// whole pipeline; nothing is stored. Failures are ignored (a page then only pays the cold start itself).
/// </summary>
internal sealed class WarmUp(IServer server, IHostApplicationLifetime lifetime, StemmaCatalog catalog, ServeOptions options, ILogger<WarmUp> logger) : IHostedService
{
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stopping = new();

    /// <summary>Completes when the warm-up has run (or was skipped); for tests and benchmarks.</summary>
    public Task Completed => done.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.WarmUp)
        {
            done.TrySetResult();
            return Task.CompletedTask;
        }

        lifetime.ApplicationStarted.Register(() => _ = Task.Run(RunAsync));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        done.TrySetResult();
    }

    private async Task RunAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var address = LoopbackAddress();
            var stories = await catalog.Store.ListStoriesAsync(new Storage.StoryQuery { Limit = 1 }, stopping.Token).ConfigureAwait(false);
            var story = stories.Stories.Count > 0 ? stories.Stories[0].StoryId : null;
            if (address is null)
            {
                // No plain-HTTP address to call: at least analyse the largest story in process.
                if (story is not null)
                {
                    await catalog.GetStoryAsync(story, allowStale: false, stopping.Token).ConfigureAwait(false);
                }

                return;
            }

            using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
            var paths = new List<string> { "/stories" };
            if (story is not null)
            {
                paths.Add(Links.Story(story));
                paths.Add("/api/stories/" + Uri.EscapeDataString(story));
                var members = await catalog.Store.GetStoryMembersAsync(story, stopping.Token).ConfigureAwait(false);
                if (members.Count >= 2)
                {
                    paths.Add(Links.Compare(members[0], members[1]));
                }

                if (members.Count >= 1)
                {
                    paths.Add(Links.Document(members[0]));
                }
            }

            foreach (var path in paths)
            {
                using var response = await client.GetAsync(path, stopping.Token).ConfigureAwait(false);
                _ = await response.Content.ReadAsByteArrayAsync(stopping.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Warm-up stopped early");
        }
        finally
        {
            logger.LogInformation("Warm-up done in {Milliseconds} ms", (long)clock.Elapsed.TotalMilliseconds);
            done.TrySetResult();
        }
    }

    /// <summary>The server's first plain-HTTP address, with a wildcard host replaced by loopback.</summary>
    private Uri? LoopbackAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            if (!address.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var normalized = address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
                .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal).Replace("://[::]", "://[::1]", StringComparison.Ordinal);
            if (Uri.TryCreate(normalized, UriKind.Absolute, out var uri))
            {
                return uri;
            }
        }

        return null;
    }
}

/// <summary>Turns refused requests (bad input, too large) into problem details naming the problem.</summary>
internal sealed class RejectedRequestMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        IResult problem;
        try
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        catch (RequestRejectedException ex) when (!context.Response.HasStarted)
        {
            problem = ex.ToProblem();
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            problem = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? RequestUploads.TooLarge(context.RequestServices.GetRequiredService<ServeOptions>().MaxBodyBytes).ToProblem()
                : TypedResults.Problem(detail: ex.Message, statusCode: ex.StatusCode, title: "Bad request");
        }

        await problem.ExecuteAsync(context).ConfigureAwait(false);
    }
}

/// <summary>Headers on every response: a strict CSP (no inline script or style) and no MIME sniffing or framing.</summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    public Task InvokeAsync(HttpContext context)
    {
        // OnStarting also covers responses written by the exception and status code handlers.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
