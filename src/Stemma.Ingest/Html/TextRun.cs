using System.Text;

namespace Stemma.Ingest.Html;

/// <summary>Accumulates inline text with whitespace collapsed, counting how much of it sits inside links.</summary>
internal sealed class TextRun
{
    private readonly StringBuilder _text = new(256);
    private bool _pendingSpace;

    public int Length => _text.Length;

    public int LinkChars { get; private set; }

    public int LinkCount { get; private set; }

    public void CountLink() => LinkCount++;

    public void Append(string text, bool insideLink)
    {
        foreach (var c in text)
        {
            if (IsInvisible(c))
            {
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                _pendingSpace = _text.Length > 0;
                continue;
            }
            if (_pendingSpace)
            {
                _text.Append(' ');
                _pendingSpace = false;
                if (insideLink)
                {
                    LinkChars++;
                }
            }
            _text.Append(c);
            if (insideLink)
            {
                LinkChars++;
            }
        }
    }

    /// <summary>Inline elements such as images or line-level breaks separate words without a text node.</summary>
    public void AppendSpace() => _pendingSpace = _text.Length > 0;

    public string TakeText()
    {
        var text = _text.ToString();
        Clear();
        return text;
    }

    public void Clear()
    {
        _text.Clear();
        _pendingSpace = false;
        LinkChars = 0;
        LinkCount = 0;
    }

    /// <summary>Collapses every whitespace run to one space and trims; drops soft hyphens and zero-width characters.</summary>
    public static string Collapse(string text)
    {
        var run = new TextRun();
        run.Append(text, insideLink: false);
        return run.TakeText();
    }

    private static bool IsInvisible(char c) => c is '\u00AD' or '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF';
}
