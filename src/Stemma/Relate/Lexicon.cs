using Stemma.Align;

namespace Stemma.Relate;

/// <summary>Small fixed word lists: English function words (weighted down) and month names (dates).</summary>
internal static class Lexicon
{
    private static readonly HashSet<uint> FunctionWords = Hashes(
        "a", "about", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because",
        "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during",
        "each", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how",
        "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "no", "nor", "not", "now", "of",
        "off", "on", "once", "only", "or", "other", "our", "ours", "out", "over", "own", "same", "she", "should", "so", "some",
        "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those", "through",
        "to", "too", "under", "until", "up", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom",
        "why", "will", "with", "would", "you", "your", "yours", "said", "says", "say", "told", "according", "new", "one", "two",
        "also", "last", "year", "years", "s", "t", "mr", "ms", "mrs", "it's", "he's", "she's", "don't", "may", "might", "must",
        "upon", "within", "without", "yet", "however", "since", "though", "although", "per", "via");

    private static readonly HashSet<uint> Months = Hashes(
        "january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday");

    private static readonly HashSet<uint> Units = Hashes(
        "million", "billion", "trillion", "thousand", "hundred", "percent", "per", "cent", "bn", "m", "k", "dollars", "euros", "pounds");

    /// <summary>Which lists a word is on.</summary>
    [Flags]
    public enum WordKind : byte
    {
        None = 0,
        Function = 1,
        Month = 2,
        Unit = 4,
    }

    // One open-addressing table over all three lists, built so that every word sits within ProbeWindow slots of its home
    // slot: a look-up compares those slots without a branch (whether a word is on a list is a coin toss in running text,
    // which a probing loop's exits would mispredict about every other word).
    private const int ProbeWindow = 4;

    private static readonly (uint[] Keys, byte[] Kinds, int Shift) Table = BuildTable();

    public static bool IsFunctionWord(uint hash) => (Classify(hash) & WordKind.Function) != 0;

    public static bool IsMonth(uint hash) => (Classify(hash) & WordKind.Month) != 0;

    public static bool IsUnit(uint hash) => (Classify(hash) & WordKind.Unit) != 0;

    public static WordKind Classify(uint hash)
    {
        var (keys, kinds, shift) = Table;
        var slot = Slot(hash, shift);
        var keyWindow = keys.AsSpan(slot, ProbeWindow);
        var kindWindow = kinds.AsSpan(slot, ProbeWindow);

        // Keys are distinct and an empty slot's kind is None, so the kinds of the slots holding the hash are its kinds.
        var kind = 0;
        for (var k = 0; k < ProbeWindow; k++)
        {
            kind |= kindWindow[k] & -(keyWindow[k] == hash ? 1 : 0);
        }

        return (WordKind)kind;
    }

    /// <summary>Home slot of a hash in a table of 2^(64 - <paramref name="shift"/>) slots (plus the probe window's padding).</summary>
    private static int Slot(uint hash, int shift) => (int)((hash * 0x9E3779B97F4A7C15UL) >> shift);

    /// <summary>Linear probing without wrap-around (the arrays are padded by the window); the table doubles until every word fits its window.</summary>
    private static (uint[] Keys, byte[] Kinds, int Shift) BuildTable()
    {
        var lists = new[] { (FunctionWords, WordKind.Function), (Months, WordKind.Month), (Units, WordKind.Unit) };
        for (var bits = 10; ; bits++)
        {
            var shift = 64 - bits;
            var keys = new uint[(1 << bits) + ProbeWindow];
            var kinds = new byte[keys.Length];
            var fits = true;
            foreach (var (set, kind) in lists)
            {
                foreach (var hash in set)
                {
                    var home = Slot(hash, shift);
                    var slot = home;
                    while (slot - home < ProbeWindow && kinds[slot] != 0 && keys[slot] != hash)
                    {
                        slot++;
                    }

                    if (slot - home == ProbeWindow)
                    {
                        fits = false;
                        continue;
                    }

                    keys[slot] = hash;
                    kinds[slot] |= (byte)kind;
                }
            }

            if (fits)
            {
                return (keys, kinds, shift);
            }
        }
    }

    /// <summary>The three lists as sets, for tests that check the table against them.</summary>
    internal static (IReadOnlySet<uint> Function, IReadOnlySet<uint> Months, IReadOnlySet<uint> Units) Lists => (FunctionWords, Months, Units);

    private static HashSet<uint> Hashes(params string[] words) => [.. words.Select(TokenizedText.HashFolded)];
}
