using System.Globalization;
using System.Text.RegularExpressions;

namespace Stemma.Relate;

/// <summary>
/// The amounts a figure states, so that a restatement is told from a changed fact: "$2.5b ($US2 billion)" restates
/// "$2 billion" (a currency conversion keeps the original amount beside it), "2.03 million" rounded is "2 million",
/// and "two billion" is "2 billion".
/// </summary>
public static class FigureValues
{
    /// <summary>Every amount in <paramref name="text"/>, multipliers applied ("2.5b" is 2.5e9, "two million" 2e6).</summary>
    public static IReadOnlyList<double> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var values = new List<double>();
        foreach (Match match in Amount.Matches(text))
        {
            double value;
            if (match.Groups["digits"].Success)
            {
                if (!double.TryParse(match.Groups["digits"].Value.Replace(",", string.Empty, StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
                {
                    continue;
                }
            }
            else if (!Words.TryGetValue(match.Groups["word"].Value.ToLowerInvariant(), out value))
            {
                continue;
            }

            values.Add(value * Multiplier(match.Groups["unit"].Value));
        }

        return values;
    }

    /// <summary>
    /// Why <paramref name="after"/> states the same amount as <paramref name="before"/>, or null when the figure
    /// really changed: "currency conversion" (one of its amounts is the old one, the other in brackets or another
    /// currency), "number in words", or "rounding" (within 5 %, the new one the rounder).
    /// </summary>
    public static string? Restatement(string before, string after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);

        // The same figure change turns up in the pairs of every member of a copy family: each thread remembers its last
        // answers (the answer depends on the two texts only).
        var known = t_restatements ??= new Dictionary<(string, string), string?>(RememberedRestatements);
        if (known.TryGetValue((before, after), out var remembered))
        {
            return remembered;
        }

        if (known.Count >= RememberedRestatements)
        {
            known.Clear();
        }

        var restatement = Explain(before, after);
        known[(before, after)] = restatement;
        return restatement;
    }

    private const int RememberedRestatements = 4096;

    [ThreadStatic]
    private static Dictionary<(string, string), string?>? t_restatements;

    /// <summary><see cref="Restatement"/> worked out afresh.</summary>
    internal static string? Explain(string before, string after)
    {
        var (a, b) = (Parse(before), Parse(after));
        if (a.Count == 0 || b.Count == 0)
        {
            return null;
        }

        if (a.Count == b.Count && a.Zip(b).All(p => Same(p.First, p.Second)))
        {
            return HasDigitsOnly(before) != HasDigitsOnly(after) ? "number in words" : "same amount, other form";
        }

        // One side keeps the other's amount beside a new one: a conversion shows the original in brackets.
        if ((b.Count > a.Count && a.All(x => b.Any(y => Same(x, y)))) || (a.Count > b.Count && b.All(y => a.Any(x => Same(x, y)))))
        {
            return "currency conversion";
        }

        if (a.Count == 1 && b.Count == 1 && a[0] != 0 && b[0] != 0 && Math.Abs(a[0] - b[0]) / Math.Max(Math.Abs(a[0]), Math.Abs(b[0])) <= 0.05
            && SignificantDigits(before) != SignificantDigits(after))
        {
            return "rounding";
        }

        return null;
    }

    private static bool Same(double x, double y) => Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(x), Math.Abs(y)));

    private static bool HasDigitsOnly(string text) => text.Any(char.IsAsciiDigit);

    private static int SignificantDigits(string text)
    {
        var digits = new string([.. text.Where(char.IsAsciiDigit)]).Trim('0');
        return digits.Length;
    }

    private static double Multiplier(string unit) => unit.ToLowerInvariant() switch
    {
        "trillion" or "tn" or "t" => 1e12,
        "billion" or "bn" or "b" => 1e9,
        "million" or "mn" or "m" or "mln" => 1e6,
        "thousand" or "k" => 1e3,
        "hundred" => 1e2,
        _ => 1,
    };

    private static readonly Dictionary<string, double> Words = new(StringComparer.Ordinal)
    {
        ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7, ["eight"] = 8, ["nine"] = 9,
        ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13, ["fourteen"] = 14, ["fifteen"] = 15, ["sixteen"] = 16,
        ["seventeen"] = 17, ["eighteen"] = 18, ["nineteen"] = 19, ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50,
        ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90, ["hundred"] = 100, ["a"] = 1, ["half"] = 0.5,
    };

    private static readonly Regex Amount = new(@"(?:(?<digits>\d[\d,]*(?:\.\d+)?)|\b(?<word>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a|half)\b(?=\s+(?:trillion|billion|million|thousand|hundred|percent|per cent)\b)|\b(?<word>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred)\b)\s*(?<unit>trillion|billion|million|thousand|hundred|tn|bn|mn|mln|[tbmk]\b)?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
