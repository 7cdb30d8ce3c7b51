using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Stemma.Cli.Tests;

/// <summary>
/// `analyze`, `story`, `lineage` and `compare` at 100 columns against golden files in Golden/, written by hand from
/// what a person should see for a small fictional story (an original, a verbatim copy under a long address, an edited
/// copy that changed a figure). In a golden file ⟨n⟩ stands for a computed whole number (a similarity, a count the
/// analysis decides); everything else must match exactly, line for line (trailing spaces aside).
/// </summary>
public sealed class TerminalGoldenTests : IDisposable
{
    private const string CopyAddress = "https://www.valleywire.example.com/2026/05/04/millbrook-bridge-reopens-after-repairs/";
    private readonly TempDirectory directory = new();

    public TerminalGoldenTests()
    {
        const string First = "The Millbrook road bridge will reopen to traffic on Friday after repairs costing $1.2 million, the county council said on Monday.";
        const string Second = "Engineers replaced 14 steel bearings and resurfaced the deck, which had been closed since a barge struck a pier in February. Drivers had faced a detour of 9 miles through Oakfield while the work went on.";
        const string Third = "Council leader Hanna Brisk said the crossing carried more than 6,000 vehicles a day. \"People have been patient for three long months, and we thank them for it,\" she said at the reopening ceremony.";
        var body = string.Join("\n\n", First, Second, Third);
        var edited = body.Replace("$1.2 million", "$1.9 million", StringComparison.Ordinal);
        var original = Line("harbour/original", "Millbrook bridge reopens", body, "millbrookherald.example", "2026-05-04T08:00:00Z");
        var copy = Line(CopyAddress, "Millbrook bridge reopens", body, "valleywire.example.com", "2026-05-04T11:00:00Z");
        var changed = Line("harbour/edited", "Bridge reopens after $1.9m repair", edited, "dailyriver.example", "2026-05-05T08:00:00Z");
        Story = directory.Write("bridge.jsonl", string.Join('\n', original, copy, changed) + "\n");
        Original = directory.Write("single/original.jsonl", original + "\n");
        Edited = directory.Write("single/edited.jsonl", changed + "\n");
    }

    private string Story { get; }

    private string Original { get; }

    private string Edited { get; }

    [Fact]
    public async Task Analyze_at_100_columns() => await AssertGoldenAsync("analyze.txt", "analyze", Story, "--width", "100");

    [Fact]
    public async Task Story_at_100_columns() => await AssertGoldenAsync("story.txt", "story", "harbour/original", "--from", Story, "--width", "100");

    [Fact]
    public async Task Lineage_at_100_columns() => await AssertGoldenAsync("lineage.txt", "lineage", "--from", Story, "--width", "100");

    /// <summary>Asked with the later version first: the earlier one goes left all the same.</summary>
    [Fact]
    public async Task Compare_at_100_columns_is_compact_with_the_earlier_version_left() => await AssertGoldenAsync("compare.txt", "compare", Edited, Original, "--width", "100");

    [Fact]
    public async Task Compare_full_shows_every_passage_side_by_side_within_the_width()
    {
        var result = await CliRunner.RunAsync("compare", Edited, Original, "--full", "--width", "100");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Engineers replaced 14 steel bearings", result.Out, StringComparison.Ordinal);
        Assert.Contains("{+$1.9", result.Out, StringComparison.Ordinal);
        Assert.All(result.Out.Split('\n'), line => Assert.True(line.TrimEnd().Length <= 100, line));
    }

    [Fact]
    public async Task One_rejected_input_is_counted_in_the_singular()
    {
        var missing = Path.Combine(directory.Path, "no-such-file.txt");
        var result = await CliRunner.RunAsync("analyze", Story, missing, "--width", "100");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(", 1 input rejected", result.Out, StringComparison.Ordinal);
    }

    /// <summary>
    /// The real program in a pseudo-terminal (util-linux `script`): nothing but what the command prints, in particular
    /// not the keypad-mode switch ESC[?1h ESC= that System.Console sends a terminal, whether output is the terminal or a pipe.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_program_prints_no_stray_escape_sequence_to_a_terminal(bool piped)
    {
        Assert.True(File.Exists("/usr/bin/script"), "util-linux 'script' is needed to give the program a terminal");
        var program = Path.Combine(AppContext.BaseDirectory, "stemma.dll");
        var command = $"dotnet '{program}' lineage --from '{Story}'" + (piped ? " | cat" : string.Empty);
        var start = new ProcessStartInfo("/usr/bin/script", ["-qec", command, "/dev/null"]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["TERM"] = "xterm-256color";
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("harbour/original", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[?1h", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b=", output, StringComparison.Ordinal);
        Assert.StartsWith("1 copy tree", output, StringComparison.Ordinal);
    }

    public void Dispose() => directory.Dispose();

    private static string Line(string id, string title, string text, string site, string date) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["id"] = id, ["title"] = title, ["text"] = text, ["site"] = site, ["date"] = date });

    private static async Task AssertGoldenAsync(string golden, params string[] args)
    {
        var result = await CliRunner.RunAsync(args);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.DoesNotContain('\u001b', result.Out);
        var actual = result.Out.Replace('\u00A0', ' ').Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd()).ToList();
        var expected = (await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Golden", golden))).Split('\n').Select(l => l.TrimEnd()).ToList();
        while (actual.Count > 0 && actual[^1].Length == 0)
        {
            actual.RemoveAt(actual.Count - 1);
        }

        while (expected.Count > 0 && expected[^1].Length == 0)
        {
            expected.RemoveAt(expected.Count - 1);
        }

        Assert.All(actual, line => Assert.True(line.Length <= 100, $"wider than 100 columns: {line}"));
        for (var i = 0; i < Math.Max(actual.Count, expected.Count); i++)
        {
            var want = i < expected.Count ? expected[i] : "(end of output)";
            var got = i < actual.Count ? actual[i] : "(end of output)";
            var pattern = "^" + string.Join(@"\d+", want.Split("⟨n⟩").Select(Regex.Escape)) + "$";
            Assert.True(Regex.IsMatch(got, pattern), $"{golden} line {i + 1}:\n  expected: {want}\n  actual:   {got}\n\nwhole output:\n{result.Out}");
        }
    }
}
