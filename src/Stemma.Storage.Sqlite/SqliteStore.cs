namespace Stemma.Storage.Sqlite;

/// <summary>Placeholder until the SQLite store lands.</summary>
internal static class SqliteStorePlaceholder;
