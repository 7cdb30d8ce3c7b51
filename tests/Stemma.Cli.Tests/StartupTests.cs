namespace Stemma.Cli.Tests;

/// <summary>Start-up shortcuts: only the named command is built, and what the command line prints does not change for it.</summary>
public sealed class StartupTests
{
    private static readonly string[] AllCommands = ["analyze", "ingest", "stories", "similar", "extract", "compare", "story", "lineage", "check", "serve", "silo"];

    [Theory]
    [InlineData("extract", "extract", "a.txt")]
    [InlineData("analyze", "--width", "120", "-v", "analyze", "story", "extract")]
    [InlineData("silo", "silo", "--port", "11112")]
    [InlineData(null, "--help")]
    [InlineData(null)]
    [InlineData(null, "@args.rsp")]
    [InlineData(null, "--width", "100", "@args.rsp", "extract")]
    [InlineData(null, "[diagram]", "extract", "a.txt")]
    [InlineData(null, "Extract", "a.txt")]
    public void The_named_command_is_the_first_argument_equal_to_a_command_name(string? expected, params string[] args) =>
        Assert.Equal(expected, StemmaApp.NamedCommand(args));

    [Fact]
    public async Task Help_lists_every_command_in_order()
    {
        var result = await CliRunner.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        var listed = result.Out[result.Out.IndexOf("Commands:", StringComparison.Ordinal)..]
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Skip(1)
            .Select(line => line.Split(' ')[0])
            .ToList();
        Assert.Equal(AllCommands, listed);
    }

    [Fact]
    public async Task A_misspelt_command_is_a_usage_error_against_the_whole_tree()
    {
        var result = await CliRunner.RunAsync("extrct", "a.txt");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Unrecognized command or argument 'extrct'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_command_given_after_root_options_runs_with_them()
    {
        using var folder = new TempDirectory();
        var file = folder.Write("ferry.txt", "Ferry timetable changes\n\nThe island council said on Monday that the first crossing would leave an hour later.\n");

        var result = await CliRunner.RunAsync("--width", "120", "--limit", "MaxDocumentBytes=10", "extract", file, "--format", "json");

        // The limit reached the reader: the 90-byte file is refused.
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ferry.txt", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Out);
    }
    [Fact]
    public void The_version_written_at_build_time_is_the_assemblys_informational_version()
    {
        var attribute = typeof(StemmaApp).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single();

        Assert.Equal(attribute.InformationalVersion, StemmaApp.Version);
    }

    [Fact]
    public async Task Version_with_other_arguments_is_still_refused_by_the_parser()
    {
        var result = await CliRunner.RunAsync("--version", "--verbose");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--version option cannot be combined with other arguments", result.Error, StringComparison.Ordinal);
    }
}
