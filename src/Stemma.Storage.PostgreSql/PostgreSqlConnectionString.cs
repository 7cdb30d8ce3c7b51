using System.Globalization;
using Npgsql;

namespace Stemma.Storage.PostgreSql;

/// <summary>
/// Turns what a user gives (<c>postgres://user[:password]@host[:port]/database</c>, <c>postgresql://...</c>, or an Npgsql
/// connection string such as <c>Host=db;Username=stemma;Database=news</c>) into an Npgsql connection string.
/// </summary>
public static class PostgreSqlConnectionString
{
    public const int DefaultPort = 5432;

    /// <summary>True when <paramref name="value"/> is a postgres:// or postgresql:// URI.</summary>
    public static bool IsUri(string? value) =>
        value is not null
        && (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase));

    /// <exception cref="StoreException">The value is neither a well-formed URI nor a connection string Npgsql accepts.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string uriOrConnectionString)
    {
        if (string.IsNullOrWhiteSpace(uriOrConnectionString))
        {
            throw new StoreException("No PostgreSQL server given: expected postgres://user@host[:port]/database or a connection string.");
        }

        return IsUri(uriOrConnectionString) ? ParseUri(uriOrConnectionString) : ParseKeywords(uriOrConnectionString);
    }

    private static NpgsqlConnectionStringBuilder ParseKeywords(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrEmpty(builder.Host))
            {
                throw new StoreException($"The PostgreSQL connection string '{Redact(builder)}' names no host.");
            }

            return builder;
        }
        catch (ArgumentException exception)
        {
            throw new StoreException($"Not a PostgreSQL connection string or postgres:// URI: {exception.Message}", exception);
        }
    }

    private static NpgsqlConnectionStringBuilder ParseUri(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new StoreException($"Malformed PostgreSQL URI '{RedactUri(text)}': expected postgres://user[:password]@host[:port]/database.");
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0 || database.Contains('/', StringComparison.Ordinal))
        {
            throw new StoreException($"The PostgreSQL URI '{RedactUri(text)}' names no database: expected postgres://user@host[:port]/database.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port,
            Database = database,
        };
        if (uri.UserInfo.Length > 0)
        {
            var separator = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(separator < 0 ? uri.UserInfo : uri.UserInfo[..separator]);
            if (separator >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(separator + 1)..]);
            }
        }

        // Query parameters are Npgsql keywords (?sslmode=require&timeout=30); an unknown one is an error.
        foreach (var parameter in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? parameter : parameter[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(parameter[(equals + 1)..]);
            try
            {
                builder[key] = value;
            }
            catch (ArgumentException exception)
            {
                throw new StoreException($"The PostgreSQL URI '{RedactUri(text)}' has an unsupported parameter '{key}': {exception.Message}", exception);
            }
        }

        return builder;
    }

    /// <summary>host:port/database, for messages (never the password).</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return string.Create(CultureInfo.InvariantCulture, $"{builder.Host}:{builder.Port}/{builder.Database}");
    }

    private static string Redact(NpgsqlConnectionStringBuilder builder)
    {
        var copy = new NpgsqlConnectionStringBuilder(builder.ConnectionString);
        if (copy.Password is not null)
        {
            copy.Password = "***";
        }

        return copy.ConnectionString;
    }

    private static string RedactUri(string text)
    {
        var at = text.LastIndexOf('@');
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || scheme < 0)
        {
            return text;
        }

        var userInfo = text[(scheme + 3)..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? text : string.Concat(text.AsSpan(0, scheme + 3), userInfo.AsSpan(0, colon), ":***", text.AsSpan(at));
    }
}
