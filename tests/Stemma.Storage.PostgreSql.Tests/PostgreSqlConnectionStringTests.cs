namespace Stemma.Storage.PostgreSql.Tests;

public sealed class PostgreSqlConnectionStringTests
{
    [Fact]
    public void A_full_uri_becomes_an_npgsql_connection_string()
    {
        var builder = PostgreSqlConnectionString.Parse("postgres://alice:s%40cr%3Aet@db.example.org:6543/news%20archive");

        Assert.Equal("db.example.org", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("alice", builder.Username);
        Assert.Equal("s@cr:et", builder.Password);
        Assert.Equal("news archive", builder.Database);
    }

    [Theory]
    [InlineData("postgres://bob@localhost/stemma")]
    [InlineData("postgresql://bob@localhost/stemma")]
    [InlineData("POSTGRES://bob@localhost/stemma")]
    public void The_port_defaults_to_5432_and_the_password_to_none(string uri)
    {
        var builder = PostgreSqlConnectionString.Parse(uri);

        Assert.Equal(("localhost", 5432, "bob", null, "stemma"), (builder.Host, builder.Port, builder.Username, builder.Password, builder.Database));
    }

    [Fact]
    public void Query_parameters_are_npgsql_keywords()
    {
        var builder = PostgreSqlConnectionString.Parse("postgres://carol@[::1]:5433/news?sslmode=require&timeout=7");

        Assert.Equal("::1", builder.Host);
        Assert.Equal(5433, builder.Port);
        Assert.Equal(Npgsql.SslMode.Require, builder.SslMode);
        Assert.Equal(7, builder.Timeout);
    }

    [Fact]
    public void A_connection_string_passes_through()
    {
        var builder = PostgreSqlConnectionString.Parse("Host=db;Port=5444;Username=dave;Database=wire");

        Assert.Equal(("db", 5444, "dave", "wire"), (builder.Host, builder.Port, builder.Username, builder.Database));
    }

    [Theory]
    [InlineData("postgres://erin@db.example.org", "names no database")]
    [InlineData("postgres://erin@db.example.org/", "names no database")]
    [InlineData("postgres://erin:hunter2@db.example.org/news?nonsense=1", "unsupported parameter 'nonsense'")]
    [InlineData("Username=erin;Database=news", "names no host")]
    [InlineData("Host=db;Frobnicate=yes", "Not a PostgreSQL connection string")]
    [InlineData("   ", "No PostgreSQL server given")]
    public void Bad_input_is_a_store_exception_saying_what_is_wrong(string value, string expected)
    {
        var error = Assert.Throws<StoreException>(() => new PostgreSqlStore(value));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }
}
