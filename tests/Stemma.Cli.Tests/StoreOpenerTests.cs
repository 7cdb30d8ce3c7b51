using Stemma.Storage;

namespace Stemma.Cli.Tests;

/// <summary>Which store a --db value opens, with the providers the CLI registers (SQLite and PostgreSQL); nothing is contacted.</summary>
public sealed class StoreOpenerTests
{
    private static readonly StoreOpener Stores = new CliContext(TextWriter.Null, TextWriter.Null).Stores;

    [Theory]
    [InlineData("stemma.db", "SQLite")]
    [InlineData("./data/news.db", "SQLite")]
    [InlineData("/var/lib/stemma/news.db", "SQLite")]
    [InlineData(@"C:\stemma\news.db", "SQLite")]
    [InlineData("Data Source=news.db", "SQLite")]
    [InlineData("odd=name.db", "SQLite")]
    [InlineData("postgres://stemma@db.example.org:5432/news", "PostgreSQL")]
    [InlineData("postgresql://stemma@db.example.org/news", "PostgreSQL")]
    [InlineData("POSTGRES://stemma@db.example.org/news", "PostgreSQL")]
    [InlineData("Host=db.example.org;Username=stemma;Database=news", "PostgreSQL")]
    [InlineData("server = db.example.org; database = news", "PostgreSQL")]
    public void A_value_goes_to_the_provider_of_its_form(string location, string provider) =>
        Assert.Equal(provider, Stores.Resolve(location).Name);

    [Theory]
    [InlineData("mysql://stemma@db.example.org/news", "'mysql://'")]
    [InlineData("file://news.db", "'file://'")]
    [InlineData("  ", "No database given")]
    public void A_value_no_provider_accepts_is_refused_naming_what_is_accepted(string location, string expected)
    {
        var error = Assert.Throws<StoreException>(() => Stores.Resolve(location));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("postgres://", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Messages_name_a_server_without_its_password_and_a_file_by_its_path()
    {
        Assert.Equal("db.example.org:6543/news", Stores.Describe("postgres://stemma:s3cret@db.example.org:6543/news"));
        Assert.Equal("db.example.org:5432/news", Stores.Describe("Host=db.example.org;Password=s3cret;Database=news"));
        Assert.Equal("news.db", Stores.Describe("Data Source=news.db"));
        Assert.Equal("mysql://…", Stores.Describe("mysql://root:s3cret@db/news"));
    }

    [Fact]
    public void Only_a_file_can_be_known_missing_without_connecting()
    {
        Assert.False(Stores.Resolve("no/such/news.db").Exists("no/such/news.db"));
        Assert.Null(Stores.Resolve("postgres://stemma@db.example.org/news").Exists("postgres://stemma@db.example.org/news"));
    }
}
