using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Stemma.Web.Api;

namespace Stemma.Web.Tests.Support;

/// <summary>Builds JSON Lines batches (one article per line) and posts them.</summary>
public static class Jsonl
{
    public static string Line(string id, string title, string text, string? site = null, DateTimeOffset? date = null) =>
        JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["id"] = id,
            ["title"] = title,
            ["text"] = text,
            ["site"] = site,
            ["date"] = date?.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        });

    public static async Task<IngestResponse> PostAsync(HttpClient client, IEnumerable<string> lines, string name = "batch.jsonl")
    {
        using var content = new StringContent(string.Join('\n', lines) + "\n", Encoding.UTF8, "application/x-ndjson");
        using var response = await client.PostAsync("/api/documents?name=" + Uri.EscapeDataString(name), content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonSerializer.Deserialize<IngestResponse>(text, JsonSerializerOptions.Web)!;
    }
}
