using System.Globalization;
using Stemma.Ingest;

namespace Stemma.Web;

/// <summary>How `stemma serve` runs: which database, where it listens, and whether writes need a token.</summary>
public sealed record ServeOptions
{
    /// <summary>The database: a SQLite file path, or postgres://user@host:port/database (or an Npgsql connection string).</summary>
    public string DbPath { get; init; } = "stemma.db";

    /// <summary>The store providers <see cref="DbPath"/> is resolved with; null: <see cref="StemmaServer.DefaultStores"/> (SQLite and PostgreSQL).</summary>
    public Stemma.Storage.StoreOpener? Stores { get; init; }

    /// <summary>
    /// The store to serve instead of opening <see cref="DbPath"/>: one the host already holds, such as a Stemma cluster's
    /// (<c>serve --cluster</c>). Called once; the server disposes the store when it stops.
    /// </summary>
    public Func<Stemma.Storage.IStore>? Store { get; init; }

    /// <summary>Semicolon-separated listen addresses; loopback by default so nothing is exposed by accident.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>When set, API writes and <c>/api/check</c> need <c>Authorization: Bearer {Token}</c>.</summary>
    public string? Token { get; init; }

    /// <summary>Right after start, request the first pages once in the background so the first visitor does not wait for compilation.</summary>
    public bool WarmUp { get; init; } = true;

    /// <summary>The caps on what a request may send and make the server do (body, decompressed bytes, records, time, HTML nesting).</summary>
    public IngestLimits Limits { get; init; } = IngestLimits.Default;

    /// <summary>Largest request body accepted; larger ones get 413. A shortcut for <see cref="IngestLimits.MaxRequestBytes"/>.</summary>
    public long MaxBodyBytes
    {
        get => Limits.MaxRequestBytes;
        init => Limits = Limits with { MaxRequestBytes = value };
    }

    /// <summary>
    /// Checks listen addresses before the host sees them: each must be http:// or https://, a host (name, IPv4, [IPv6],
    /// * or +) and, if given, a port from 0 to 65535. Kestrel falls back to every interface on port 80 for some
    /// addresses it cannot parse, so a typo must stop the start instead. Returns null when all are valid, else the problem.
    /// </summary>
    public static string? ValidateUrls(string? urls)
    {
        var addresses = (urls ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (addresses.Length == 0)
        {
            return "no listen address given";
        }

        foreach (var address in addresses)
        {
            if (ValidateUrl(address) is { } problem)
            {
                return $"'{address}' is not a listen address: {problem} (e.g. http://127.0.0.1:5080)";
            }
        }

        return null;
    }

    private static string? ValidateUrl(string address)
    {
        var schemeEnd = address.IndexOf("://", StringComparison.Ordinal);
        var scheme = schemeEnd < 0 ? string.Empty : address[..schemeEnd].ToLowerInvariant();
        if (scheme is not ("http" or "https"))
        {
            return "it must start with http:// or https://";
        }

        var rest = address[(schemeEnd + 3)..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var authority = slash < 0 ? rest : rest[..slash];
        if (authority.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string host;
        string? port = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return "unclosed '[' in the IPv6 address";
            }

            host = authority[1..close];
            var after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                if (!after.StartsWith(':'))
                {
                    return "unexpected text after the IPv6 address";
                }

                port = after[1..];
            }

            if (!System.Net.IPAddress.TryParse(host, out _))
            {
                return $"'{host}' is not an IPv6 address";
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            port = colon < 0 ? null : authority[(colon + 1)..];
            if (host.Length == 0)
            {
                return "the host is missing";
            }

            if (host is not ("*" or "+") && Uri.CheckHostName(host) == UriHostNameType.Unknown)
            {
                return $"'{host}' is not a host name or IP address";
            }
        }

        if (port is not null && !(port.Length > 0 && port.All(char.IsAsciiDigit) && int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= 65535))
        {
            return $"the port '{port}' is not a number from 0 to 65535";
        }

        return null;
    }
}
