using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Stemma.Cli.Tests;

/// <summary>
/// The real program in a pseudo-terminal (util-linux `script`) for the two commands that write to the terminal through
/// libraries: `ingest` (Spectre's progress bar on stderr) and `serve` (ASP.NET Core's console logger). Neither may
/// print the keypad-mode switch ESC[?1h ESC= that System.Console sends a terminal on its first use.
/// </summary>
public sealed class TerminalEscapeTests : IDisposable
{
    private readonly TempDirectory directory = new();

    [Fact]
    public async Task Ingest_with_its_progress_bar_prints_no_keypad_escape_to_a_terminal()
    {
        for (var i = 0; i < 30; i++)
        {
            directory.Write($"in/{i:D2}.txt", $"Article {i}\nA fictional report number {i} about the harbour wall, the ferry timetable and the council's budget for the year ahead.\n");
        }

        var database = Path.Combine(directory.Path, "stemma.db");
        var output = await RunInTerminalAsync($"dotnet '{Program}' ingest '{Path.Combine(directory.Path, "in")}' --db '{database}'");

        Assert.Contains("30 added", output, StringComparison.Ordinal);
        Assert.Contains("ingesting", output, StringComparison.Ordinal);
        AssertNoKeypadEscape(output);
    }

    [Fact]
    public async Task Serve_and_its_request_log_print_no_keypad_escape_to_a_terminal()
    {
        var database = Path.Combine(directory.Path, "stemma.db");
        var port = FreePort();

        // Start, wait until it answers, ask for a page, then stop it (SIGTERM: a background job of a script ignores SIGINT).
        var script =
            $"dotnet '{Program}' serve --db '{database}' --urls http://127.0.0.1:{port} --no-warm-up & pid=$!; " +
            $"for i in $(seq 1 600); do curl -s -o /dev/null http://127.0.0.1:{port}/stories && break; sleep 0.1; done; " +
            "kill -TERM $pid; wait $pid";
        var output = await RunInTerminalAsync(script);

        Assert.Contains($"on http://127.0.0.1:{port}", output, StringComparison.Ordinal);
        Assert.Contains("Application started", output, StringComparison.Ordinal);
        AssertNoKeypadEscape(output);
    }

    public void Dispose() => directory.Dispose();

    private static string Program => Path.Combine(AppContext.BaseDirectory, "stemma.dll");

    private static void AssertNoKeypadEscape(string output)
    {
        Assert.DoesNotContain("\u001b[?1h", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b=", output, StringComparison.Ordinal);
    }

    private static async Task<string> RunInTerminalAsync(string command)
    {
        Assert.True(File.Exists("/usr/bin/script"), "util-linux 'script' is needed to give the program a terminal");
        var start = new ProcessStartInfo("/usr/bin/script", ["-qec", command, "/dev/null"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["TERM"] = "xterm-256color";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {await output}{await error}");
        return await output;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
