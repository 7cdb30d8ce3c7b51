using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Stemma.Web.Api;

namespace Stemma.Web.Tests.Support;

/// <summary>The repository's samples/ folder and helpers to send articles to a server.</summary>
public static class Samples
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Folder => Path.Combine(RepoRoot, "samples");

    /// <summary>Every sample file with its id as `stemma ingest samples` would give it ("seawall/original.txt").</summary>
    public static IReadOnlyList<(string Id, string Path)> Files() =>
        [.. Directory.EnumerateFiles(Folder, "*", SearchOption.AllDirectories)
            .Select(path => (Id: System.IO.Path.GetRelativePath(Folder, path).Replace('\\', '/'), Path: path))
            .OrderBy(file => file.Id, StringComparer.Ordinal)];

    /// <summary>Uploads every sample in one multipart batch.</summary>
    public static async Task<IngestResponse> IngestAllAsync(HttpClient client)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (id, path) in Files())
        {
            var file = new ByteArrayContent(await File.ReadAllBytesAsync(path));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "files", id);
        }

        using var response = await client.PostAsync("/api/documents", form);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<IngestResponse>())!;
    }

    public static async Task<HttpResponseMessage> PostTextAsync(HttpClient client, string path, string text, string? name = null)
    {
        using var content = new StringContent(text, Encoding.UTF8, "text/plain");
        var url = name is null ? path : $"{path}?name={Uri.EscapeDataString(name)}";
        return await client.PostAsync(url, content);
    }

    private static string FindRepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Stemma.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Stemma.slnx not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A server with the samples ingested, shared by a test class.</summary>
public sealed class SampleServer : IAsyncLifetime
{
    public RunningServer Server { get; private set; } = null!;

    public IngestResponse Ingested { get; private set; } = null!;

    public HttpClient Client => Server.Client;

    public async Task InitializeAsync()
    {
        Server = await RunningServer.StartAsync();
        Ingested = await Samples.IngestAllAsync(Server.Client);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
