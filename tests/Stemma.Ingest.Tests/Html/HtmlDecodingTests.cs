using System.Text;
using Stemma.Ingest.Html;

namespace Stemma.Ingest.Tests.Html;

public class HtmlDecodingTests
{
    private const string Text = "Größe, żółć, été";

    static HtmlDecodingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public void Utf8_byte_order_mark_wins_over_a_meta_declaration()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("<meta charset=\"iso-8859-2\"><p>" + Text)).ToArray();
        Assert.Equal("<meta charset=\"iso-8859-2\"><p>" + Text, HtmlDecoding.Decode(bytes));
    }

    [Fact]
    public void Utf16_byte_order_marks_are_read()
    {
        var little = new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes(Text)).ToArray();
        var big = new byte[] { 0xFE, 0xFF }.Concat(Encoding.BigEndianUnicode.GetBytes(Text)).ToArray();
        Assert.Equal(Text, HtmlDecoding.Decode(little));
        Assert.Equal(Text, HtmlDecoding.Decode(big));
    }

    [Fact]
    public void Meta_charset_is_used()
    {
        const string page = "<html><head><meta charset=\"iso-8859-2\"></head><body>Zażółć gęślą jaźń</body></html>";
        Assert.Equal(page, HtmlDecoding.Decode(Encoding.GetEncoding("iso-8859-2").GetBytes(page)));
    }

    [Fact]
    public void Http_equiv_content_type_charset_is_used()
    {
        const string page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1250\"></head><body>Příliš žluťoučký</body></html>";
        Assert.Equal(page, HtmlDecoding.Decode(Encoding.GetEncoding(1250).GetBytes(page)));
    }

    [Fact]
    public void Http_charset_wins_over_meta()
    {
        const string page = "<meta charset=\"utf-8\"><p>Größe</p>";
        Assert.Equal(page, HtmlDecoding.Decode(Encoding.GetEncoding(1252).GetBytes(page), "ISO-8859-1"));
    }

    [Fact]
    public void Undeclared_valid_utf8_is_read_as_utf8()
        => Assert.Equal("<p>" + Text + "</p>", HtmlDecoding.Decode(Encoding.UTF8.GetBytes("<p>" + Text + "</p>")));

    [Fact]
    public void Undeclared_invalid_utf8_falls_back_to_windows_1252()
    {
        const string page = "<p>Größe – “quoted” €</p>";
        Assert.Equal(page, HtmlDecoding.Decode(Encoding.GetEncoding(1252).GetBytes(page)));
    }

    [Fact]
    public void Latin1_declaration_on_utf8_bytes_reads_the_bytes_as_utf8()
    {
        const string page = "<meta charset=\"iso-8859-1\"><p>Größe und Übermaß</p>";
        Assert.Equal(page, HtmlDecoding.Decode(Encoding.UTF8.GetBytes(page)));
    }

    [Fact]
    public void Unknown_charset_label_is_ignored()
    {
        const string page = "<meta charset=\"no-such-charset\"><p>Größe</p>";
        Assert.Equal(page, HtmlDecoding.Decode(Encoding.UTF8.GetBytes(page)));
    }

    [Fact]
    public void Empty_input_gives_empty_text()
        => Assert.Equal(string.Empty, HtmlDecoding.Decode([]));
}
