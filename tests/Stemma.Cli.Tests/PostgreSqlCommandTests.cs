using System.Text.Json;
using Stemma.Testing.Corpus;
using Stemma.Testing.PostgreSql;

namespace Stemma.Cli.Tests;

[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServer>
{
    public const string Name = "PostgreSQL server";
}

/// <summary>
/// Every command that takes --db, against a real PostgreSQL server (the throw-away cluster of Stemma.Testing) given as a
/// postgres:// URI: the same output as against a SQLite file holding the same corpus.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlCommandTests(PostgreSqlServer server) : IAsyncLifetime
{
    private readonly List<string> _databases = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
        {
            await server.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task Ingest_stories_story_and_lineage_against_postgres_equal_the_same_commands_against_sqlite()
    {
        using var directory = new TempDirectory();
        var corpus = new SyntheticCorpus(47, new CorpusOptions { Stories = 8, UnrelatedArticles = 6 }).Generate();
        for (var i = 0; i < corpus.Count; i++)
        {
            // Two folders ingested in two runs, so the second run relates to what the first one stored.
            directory.Write($"{(i % 3 == 0 ? "later" : "first")}/{corpus[i].Id}.txt", corpus[i].ToTextFile());
        }

        var sqlite = Path.Combine(directory.Path, "stemma.db");
        var postgres = await NewDatabaseUriAsync();
        foreach (var folder in new[] { "first", "later" })
        {
            var intoSqlite = await CliRunner.RunAsync("ingest", Path.Combine(directory.Path, folder), "--db", sqlite);
            var intoPostgres = await CliRunner.RunAsync("ingest", Path.Combine(directory.Path, folder), "--db", postgres);
            Assert.Equal(0, intoPostgres.ExitCode);
            Assert.Equal(string.Empty, intoPostgres.Error);
            Assert.Equal(intoSqlite.Out, intoPostgres.Out);
        }

        var stories = await SameOutputAsync(sqlite, postgres, "stories", "--min-size", "1", "--format", "json");
        using var listed = JsonDocument.Parse(stories);
        var storyIds = listed.RootElement.EnumerateArray().Select(s => s.GetProperty("story").GetString()!).ToList();
        Assert.Equal(corpus.Select(d => d.StoryId).Distinct().Count(), storyIds.Count);
        Assert.Equal(corpus.Count, listed.RootElement.EnumerateArray().Sum(s => s.GetProperty("size").GetInt32()));

        foreach (var story in storyIds)
        {
            await SameOutputAsync(sqlite, postgres, "story", story, "--format", "json");
        }

        var largest = listed.RootElement.EnumerateArray().OrderByDescending(s => s.GetProperty("size").GetInt32()).First().GetProperty("story").GetString()!;
        await SameOutputAsync(sqlite, postgres, "story", largest);
        await SameOutputAsync(sqlite, postgres, "lineage", "--format", "json");
        await SameOutputAsync(sqlite, postgres, "lineage");
        await SameOutputAsync(sqlite, postgres, "similar", corpus[1].Id + ".txt", "--format", "json");

        // Ingesting the same files again finds them all stored, in PostgreSQL too.
        var again = await CliRunner.RunAsync("ingest", Path.Combine(directory.Path, "first"), Path.Combine(directory.Path, "later"), "--db", postgres);
        Assert.Equal(0, again.ExitCode);
        Assert.StartsWith($"0 added, 0 updated, {corpus.Count} unchanged", again.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_with_a_postgres_uri_answers_the_story_api_and_page()
    {
        using var directory = new TempDirectory();
        var corpus = new SyntheticCorpus(48, new CorpusOptions { Stories = 3, UnrelatedArticles = 2 }).Generate();
        foreach (var document in corpus)
        {
            directory.Write($"in/{document.Id}.txt", document.ToTextFile());
        }

        var postgres = await NewDatabaseUriAsync();
        Assert.Equal(0, (await CliRunner.RunAsync("ingest", Path.Combine(directory.Path, "in"), "--db", postgres)).ExitCode);
        var original = corpus.First(d => d.ParentId is null && corpus.Count(c => c.StoryId == d.StoryId) > 1);
        var expected = await CliRunner.RunAsync("story", original.Id + ".txt", "--db", postgres, "--format", "json");
        using var expectedStory = JsonDocument.Parse(expected.Out);
        var expectedMembers = expectedStory.RootElement.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).Order().ToList();

        await using var served = Served.Start("--db", postgres);
        var api = await served.GetAsync("/api/stories/" + Uri.EscapeDataString(original.Id + ".txt"));
        using var story = JsonDocument.Parse(api);
        Assert.Equal(expectedMembers, story.RootElement.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).Order().ToList());

        var page = await served.Client.GetStringAsync("/story?id=" + Uri.EscapeDataString(original.Id + ".txt"));
        Assert.All(expectedMembers, id => Assert.Contains(id, page, StringComparison.Ordinal));
        Assert.Equal(0, await served.StopAsync());

        // The server is named without the URI's secrets: host:port/database.
        Assert.StartsWith("serving 127.0.0.1:", served.Output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("postgres://", served.Output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_is_one_line_and_exit_code_2_for_every_command_and_serve()
    {
        using var directory = new TempDirectory();
        directory.Write("in/a.txt", "A headline\nA body of text long enough to read as an article about the harbour wall.\n");
        var nobody = $"postgres://stemma:s3cret@127.0.0.1:{Serving.FreePort()}/news";
        string[][] commands =
        [
            ["ingest", Path.Combine(directory.Path, "in"), "--db", nobody],
            ["stories", "--db", nobody],
            ["story", "a.txt", "--db", nobody],
            ["lineage", "--db", nobody],
            ["similar", "a.txt", "--db", nobody],
            ["serve", "--db", nobody, "--urls", $"http://127.0.0.1:{Serving.FreePort()}", "--no-warm-up"],
        ];
        foreach (var command in commands)
        {
            var result = await CliRunner.RunAsync(command);
            Assert.Equal(2, result.ExitCode);
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("stemma: ", line, StringComparison.Ordinal);
            Assert.Contains("127.0.0.1:", line, StringComparison.Ordinal);
            Assert.Contains("/news", line, StringComparison.Ordinal);
            Assert.DoesNotContain("s3cret", line, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("mysql://stemma@db.example.org/news", "'mysql://'")]
    [InlineData("postgres://stemma@db.example.org", "names no database")]
    [InlineData("Host=;Database=news", "names no host")]
    public async Task An_unknown_scheme_or_malformed_server_is_one_line_and_exit_code_2(string database, string expected)
    {
        foreach (var command in new[] { new[] { "stories", "--db", database }, ["serve", "--db", database, "--no-warm-up"] })
        {
            var result = await CliRunner.RunAsync(command);
            Assert.Equal(2, result.ExitCode);
            var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(expected, line, StringComparison.Ordinal);
            Assert.Equal(string.Empty, result.Out);
        }
    }

    private async Task<string> NewDatabaseUriAsync()
    {
        var database = await server.CreateDatabaseAsync();
        _databases.Add(database);
        return PostgreSqlServer.UriOf(database);
    }

    /// <summary>Runs one command against both stores; asserts success and equal output, returns it.</summary>
    private static async Task<string> SameOutputAsync(string sqlite, string postgres, params string[] command)
    {
        var fromSqlite = await CliRunner.RunAsync([.. command, "--db", sqlite]);
        var fromPostgres = await CliRunner.RunAsync([.. command, "--db", postgres]);
        Assert.True(fromSqlite.ExitCode == 0, $"{string.Join(' ', command)}: {fromSqlite.Error}");
        Assert.True(fromPostgres.ExitCode == 0, $"{string.Join(' ', command)}: {fromPostgres.Error}");
        Assert.Equal(fromSqlite.Out, fromPostgres.Out);
        Assert.False(string.IsNullOrWhiteSpace(fromPostgres.Out), string.Join(' ', command));
        return fromPostgres.Out;
    }
}
