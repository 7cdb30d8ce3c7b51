using Stemma.Align;

namespace Stemma.Relate;

/// <summary>Small fixed word lists: English function words (weighted down) and month names (dates).</summary>
internal static class Lexicon
{
    private static readonly HashSet<ulong> FunctionWords = Hashes(
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

    private static readonly HashSet<ulong> Months = Hashes(
        "january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday");

    private static readonly HashSet<ulong> Units = Hashes(
        "million", "billion", "trillion", "thousand", "hundred", "percent", "per", "cent", "bn", "m", "k", "dollars", "euros", "pounds");

    // One open-addressing table over all three lists: a word costs one probe or two, not three hash-set lookups.
    private const byte FunctionWordFlag = 1, MonthFlag = 2, UnitFlag = 4;
    private static readonly (ulong[] Keys, byte[] Flags) Table = BuildTable();

    public static bool IsFunctionWord(ulong hash) => (Flags(hash) & FunctionWordFlag) != 0;

    public static bool IsMonth(ulong hash) => (Flags(hash) & MonthFlag) != 0;

    public static bool IsUnit(ulong hash) => (Flags(hash) & UnitFlag) != 0;

    private static byte Flags(ulong hash)
    {
        var (keys, flags) = Table;
        var mask = keys.Length - 1;
        for (var slot = (int)(hash * 0x9E3779B97F4A7C15UL >> 40) & mask; ; slot = (slot + 1) & mask)
        {
            if (flags[slot] == 0)
            {
                return 0;
            }

            if (keys[slot] == hash)
            {
                return flags[slot];
            }
        }
    }

    private static (ulong[] Keys, byte[] Flags) BuildTable()
    {
        var keys = new ulong[1024];
        var flags = new byte[1024];
        foreach (var (set, flag) in new[] { (FunctionWords, FunctionWordFlag), (Months, MonthFlag), (Units, UnitFlag) })
        {
            foreach (var hash in set)
            {
                var slot = (int)(hash * 0x9E3779B97F4A7C15UL >> 40) & (keys.Length - 1);
                while (flags[slot] != 0 && keys[slot] != hash)
                {
                    slot = (slot + 1) & (keys.Length - 1);
                }

                keys[slot] = hash;
                flags[slot] |= flag;
            }
        }

        return (keys, flags);
    }

    private static HashSet<ulong> Hashes(params string[] words) => [.. words.Select(TokenizedText.HashFolded)];
}
