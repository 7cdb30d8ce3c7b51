namespace Stemma.Web;

/// <summary>How `stemma serve` runs: which database, where it listens, and whether writes need a token.</summary>
public sealed record ServeOptions
{
    public string DbPath { get; init; } = "stemma.db";

    /// <summary>Semicolon-separated listen addresses; loopback by default so nothing is exposed by accident.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>When set, API writes need <c>Authorization: Bearer {Token}</c>.</summary>
    public string? Token { get; init; }

    /// <summary>Largest request body accepted; larger ones get 413.</summary>
    public long MaxBodyBytes { get; init; } = 20L * 1024 * 1024;

    /// <summary>Right after start, request the first pages once in the background so the first visitor does not wait for compilation.</summary>
    public bool WarmUp { get; init; } = true;
}
