global using Stemma.Testing.PostgreSql;

namespace Stemma.Storage.PostgreSql.Tests;

/// <summary>The tests that share one throw-away PostgreSQL server (the fixture lives in Stemma.Testing).</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlServer>
{
    public const string Name = "PostgreSQL server";
}
