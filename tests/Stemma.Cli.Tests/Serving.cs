using System.Net;
using System.Net.Sockets;

namespace Stemma.Cli.Tests;

/// <summary>`stemma serve` run in-process on a free loopback port, for tests that read the API beside the CLI.</summary>
internal static class Serving
{
    /// <summary>The body of <paramref name="path"/> once the server answers it (200 expected).</summary>
    public static async Task<string> WaitForAsync(HttpClient client, string path, Task<int> serving)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (serving.IsCompleted)
            {
                Assert.Fail($"serve ended with exit code {await serving} before answering");
            }

            try
            {
                using var response = await client.GetAsync(path);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
                return text;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"serve did not answer {path}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// `stemma serve` running in the test process on a free loopback port until stopped: every test that reads the API beside
/// the CLI starts it this way.
/// </summary>
internal sealed class Served : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(3));
    private readonly Task<int> _serving;

    private Served(string[] storeOptions)
    {
        Url = $"http://127.0.0.1:{Serving.FreePort()}";
        _serving = StemmaApp.RunAsync(["serve", .. storeOptions, "--urls", Url, "--no-warm-up"], Output, Error, _stop.Token);
        Client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Where it serves: http://127.0.0.1:PORT.</summary>
    public string Url { get; }

    public StringWriter Output { get; } = new();

    public StringWriter Error { get; } = new();

    public HttpClient Client { get; }

    /// <summary>Starts serving the store the options name (`--db X` or `--cluster Y`).</summary>
    public static Served Start(params string[] storeOptions) => new(storeOptions);

    /// <summary>The body of <paramref name="path"/>, once the server is up (200 expected).</summary>
    public Task<string> GetAsync(string path) => Serving.WaitForAsync(Client, path, _serving);

    /// <summary>Stops the server (as Ctrl+C would) and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _serving;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_serving.IsCompleted)
        {
            await StopAsync();
        }

        Client.Dispose();
        _stop.Dispose();
        await Output.DisposeAsync();
        await Error.DisposeAsync();
    }
}
