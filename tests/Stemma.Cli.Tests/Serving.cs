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
