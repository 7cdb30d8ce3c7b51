using System.Text;

namespace Stemma.Ingest.Tests.Support;

/// <summary>A scratch directory deleted after the test.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "stemma-ingest-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Write(string relativePath, string text) => Write(relativePath, Encoding.UTF8.GetBytes(text));

    public string Write(string relativePath, byte[] bytes)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

public static class Reading
{
    public static List<ReadOutcome> ReadAll(params string[] paths) => [.. ArticleReader.Read(paths)];

    public static List<ReadOutcome> ReadText(string name, string content) => [.. ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(content), name)];

    public static Article Single(IEnumerable<ReadOutcome> outcomes)
    {
        var list = outcomes.ToList();
        Assert.True(list.Count == 1, "expected one outcome, got: " + string.Join(" | ", list.Select(outcome => outcome.Error ?? outcome.Article?.Id)));
        Assert.True(list[0].Error is null, list[0].ToString());
        return list[0].Article!;
    }

    /// <summary>The repository root: the folder holding Stemma.slnx, found by walking up from the test binaries.</summary>
    public static string RepoRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Stemma.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Stemma.slnx not found above " + AppContext.BaseDirectory);
    }

    public static string Html(string title, params string[] paragraphs) =>
        $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body>"
        + "<nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav><article>"
        + string.Concat(paragraphs.Select(p => $"<p>{p}</p>"))
        + "</article><footer><p>Copyright Example</p></footer></body></html>";
}
