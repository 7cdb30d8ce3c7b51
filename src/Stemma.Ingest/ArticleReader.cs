using System.Text.Json;

namespace Stemma.Ingest;

/// <summary>One result of reading: an article, or an error naming the source (and line) and the reason.</summary>
public sealed record ReadOutcome(string Source, Article? Article, string? Error = null, int? Line = null)
{
    public bool IsError => Error is not null;

    public override string ToString() => Error is null ? Source : Line is int line ? $"{Source}:{line}: {Error}" : $"{Source}: {Error}";
}

/// <summary>
/// Reads articles from files and directories (recursively). One outcome per article or per failure;
/// a broken input never stops the rest. (Placeholder: .txt and .jsonl only.)
/// </summary>
public static class ArticleReader
{
    public static IEnumerable<ReadOutcome> Read(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    foreach (var outcome in ReadFile(file, Path.GetRelativePath(path, file).Replace('\\', '/')))
                    {
                        yield return outcome;
                    }
                }
            }
            else if (File.Exists(path))
            {
                foreach (var outcome in ReadFile(path, Path.GetFileName(path)))
                {
                    yield return outcome;
                }
            }
            else
            {
                yield return new ReadOutcome(path, null, "no such file or directory");
            }
        }
    }

    private static IEnumerable<ReadOutcome> ReadFile(string file, string id)
    {
        var extension = Path.GetExtension(file).ToLowerInvariant();
        if (extension == ".txt")
        {
            var text = File.ReadAllText(file);
            var newline = text.IndexOf('\n', StringComparison.Ordinal);
            var title = newline < 0 ? text.Trim() : text[..newline].Trim();
            var body = newline < 0 ? string.Empty : text[(newline + 1)..].Trim();
            yield return body.Length == 0
                ? new ReadOutcome(file, null, "empty article")
                : new ReadOutcome(file, new Article { Id = id, Title = title, Body = body, SourcePath = file, Format = "txt" });
        }
        else if (extension == ".jsonl")
        {
            var lineNumber = 0;
            foreach (var line in File.ReadLines(file))
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                ReadOutcome outcome;
                try
                {
                    using var json = JsonDocument.Parse(line);
                    var root = json.RootElement;
                    var recordId = root.TryGetProperty("id", out var idValue) ? idValue.ToString() : $"{id}#{lineNumber}";
                    var text = root.TryGetProperty("text", out var textValue) ? textValue.GetString() : null;
                    outcome = string.IsNullOrWhiteSpace(text)
                        ? new ReadOutcome(file, null, "record has no text", lineNumber)
                        : new ReadOutcome(file, new Article
                        {
                            Id = recordId,
                            Body = text,
                            Title = root.TryGetProperty("title", out var t) ? t.GetString() : null,
                            Url = root.TryGetProperty("url", out var u) ? u.GetString() : null,
                            SourcePath = file,
                            Format = "jsonl",
                        });
                }
                catch (JsonException ex)
                {
                    outcome = new ReadOutcome(file, null, $"invalid JSON: {ex.Message}", lineNumber);
                }

                yield return outcome;
            }
        }
        else
        {
            yield return new ReadOutcome(file, null, $"unknown format '{extension}'");
        }
    }
}
