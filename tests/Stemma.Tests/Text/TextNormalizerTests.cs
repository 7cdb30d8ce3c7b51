using Stemma.Text;

namespace Stemma.Tests.Text;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("Hello   World", "hello world")]
    [InlineData("  \tLeading and trailing\n\n ", "leading and trailing")]
    [InlineData("\u201CQuoted\u201D \u2014 it\u2019s", "\"quoted\" - it's")]
    [InlineData("ﬁnance ＡＢＣ", "finance abc")]
    [InlineData("soft\u00ADhyphen zero\u200Bwidth", "softhyphen zerowidth")]
    [InlineData("Straße ÉCOLE", "straße école")]
    [InlineData("non\u00A0breaking", "non breaking")]
    public void Normalize_folds_case_quotes_dashes_compatibility_forms_and_whitespace(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Normalize(input));
    }

    [Fact]
    public void Normalize_is_idempotent_on_long_mixed_text()
    {
        var text = string.Concat(Enumerable.Repeat("Ça coûte \u201C2,5 millions\u201D\u2009\u2013 dit-il.\r\n", 200));
        var once = TextNormalizer.Normalize(text);
        Assert.Equal(once, TextNormalizer.Normalize(once));
        Assert.DoesNotContain("  ", once, StringComparison.Ordinal);
    }
}
