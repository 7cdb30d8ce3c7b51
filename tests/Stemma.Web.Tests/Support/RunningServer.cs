using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Stemma.Web.Tests.Support;

/// <summary>The real Kestrel server on 127.0.0.1 with a free port and a fresh database in a temporary folder.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string folder;

    private RunningServer(WebApplication app, string folder, Uri address, string? token)
    {
        Token = token;
        this.app = app;
        this.folder = folder;
        Address = address;
        Client = NewClient();
    }

    public Uri Address { get; }

    /// <summary>The token the server was started with, if any.</summary>
    public string? Token { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>A client for this server; tests needing independent connections make their own with <see cref="NewClient"/>.</summary>
    public HttpClient Client { get; }

    public string DatabasePath => Path.Combine(folder, "stemma.db");

    public static async Task<RunningServer> StartAsync(string? token = null, long? maxBodyBytes = null, Stemma.Ingest.IngestLimits? limits = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "stemma-web-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var options = new ServeOptions { DbPath = Path.Combine(folder, "stemma.db"), Urls = "http://127.0.0.1:0", Token = token, Limits = limits ?? Stemma.Ingest.IngestLimits.Default };
        if (maxBodyBytes is long max)
        {
            options = options with { MaxBodyBytes = max };
        }

        var app = StemmaServer.Build(options);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new RunningServer(app, folder, new Uri(address), token);
    }

    public HttpClient NewClient(string? token = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temporary folder behind.
        }
    }
}
