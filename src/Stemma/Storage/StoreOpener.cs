using System.Text.RegularExpressions;

namespace Stemma.Storage;

/// <summary>
/// One kind of store a <c>--db</c> value can name (a SQLite file, a PostgreSQL server...). Each storage assembly
/// provides one; hosts (the CLI, the web server) register the providers they ship with a <see cref="StoreOpener"/>.
/// The core knows no database: it only asks the registered providers.
/// </summary>
public interface IStoreProvider
{
    /// <summary>Short name for messages and help, e.g. "SQLite".</summary>
    string Name { get; }

    /// <summary>What a location of this kind looks like, for help and error messages, e.g. "postgres://user@host:port/database".</summary>
    string Example { get; }

    /// <summary>True when <paramref name="location"/> names a store of this kind (by its form only; nothing is contacted).</summary>
    bool Accepts(string location);

    /// <summary>The location for messages: a file path, or host:port/database; never a password.</summary>
    string Describe(string location);

    /// <summary>
    /// Whether the store already exists, when that can be known without creating or contacting anything (a file);
    /// null when only connecting would tell (a server).
    /// </summary>
    bool? Exists(string location);

    /// <summary>The store object; nothing is created or contacted until <see cref="IStore.InitializeAsync"/> or first use.</summary>
    /// <exception cref="StoreException">The location is malformed.</exception>
    IStore Create(string location);
}

/// <summary>
/// Opens a store from what a user gives (<c>--db</c>): asks each registered <see cref="IStoreProvider"/> in turn and
/// uses the first that accepts the value. A value with a URI scheme no provider knows is refused in one line.
/// </summary>
public sealed class StoreOpener
{
    private readonly IStoreProvider[] _providers;

    public StoreOpener(params IEnumerable<IStoreProvider> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        _providers = [.. providers];
        if (_providers.Length == 0)
        {
            throw new ArgumentException("At least one store provider is needed.", nameof(providers));
        }
    }

    public IReadOnlyList<IStoreProvider> Providers => _providers;

    /// <summary>"a SQLite file path, postgres://user@host:port/database" — what the registered providers accept, for help texts.</summary>
    public string Accepted => string.Join(", or ", _providers.Select(p => $"{p.Example} ({p.Name})"));

    /// <summary>The provider for <paramref name="location"/>.</summary>
    /// <exception cref="StoreException">No provider accepts it (an unknown scheme, an empty value).</exception>
    public IStoreProvider Resolve(string location)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            throw new StoreException($"No database given: expected {Accepted}.");
        }

        foreach (var provider in _providers)
        {
            if (provider.Accepts(location))
            {
                return provider;
            }
        }

        var scheme = SchemeOf(location);
        throw new StoreException(scheme is null
            ? $"'{location}' names no store this build can open: expected {Accepted}."
            : $"Unknown database scheme '{scheme}://' in --db: expected {Accepted}.");
    }

    /// <summary>The location for messages, without secrets (see <see cref="IStoreProvider.Describe"/>).</summary>
    public string Describe(string location)
    {
        try
        {
            return Resolve(location).Describe(location);
        }
        catch (StoreException)
        {
            return SchemeOf(location) is { } scheme ? scheme + "://…" : location;
        }
    }

    /// <summary>The store object for <paramref name="location"/>, not yet initialized (a server starts it later).</summary>
    /// <exception cref="StoreException">No provider accepts the location, or it is malformed.</exception>
    public IStore Create(string location) => Resolve(location).Create(location);

    /// <summary>Opens the store and creates or migrates its schema.</summary>
    /// <exception cref="StoreException">No provider accepts the location, it is malformed, or the store cannot be used.</exception>
    public async Task<IStore> OpenAsync(string location, CancellationToken cancellationToken = default)
    {
        var store = Create(location);
        try
        {
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The URI scheme of <paramref name="location"/> ("postgres" in postgres://...), or null when it has none.</summary>
    public static string? SchemeOf(string? location)
    {
        var match = location is null ? null : SchemePattern.Match(location);
        return match is { Success: true } ? match.Groups[1].Value : null;
    }

    /// <summary>
    /// True when <paramref name="location"/> is a keyword connection string naming one of <paramref name="keywords"/>
    /// (e.g. "Host=db;Database=news" names "host"); case-insensitive.
    /// </summary>
    public static bool NamesKeyword(string? location, params ReadOnlySpan<string> keywords)
    {
        if (location is null || !location.Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var part in location.Split(';'))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = part[..equals].Trim();
            foreach (var keyword in keywords)
            {
                if (key.Equals(keyword, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // Two letters at least, so a Windows drive ("C:") is never read as a scheme.
    private static readonly Regex SchemePattern = new("^([A-Za-z][A-Za-z0-9+.-]+)://", RegexOptions.CultureInvariant);
}
