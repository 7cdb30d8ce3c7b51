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

    // One open-addressing table over all three lists: a word costs a probe or two, not a hash-set lookup per list.
    private static readonly (uint[] Keys, WordKind[] Kinds) Table = BuildTable();

    public static bool IsFunctionWord(uint hash) => (Classify(hash) & WordKind.Function) != 0;

    public static bool IsMonth(uint hash) => (Classify(hash) & WordKind.Month) != 0;

    public static bool IsUnit(uint hash) => (Classify(hash) & WordKind.Unit) != 0;

    public static WordKind Classify(uint hash)
    {
        var (keys, kinds) = Table;
        var mask = keys.Length - 1;
        for (var slot = Slot(hash, mask); ; slot = (slot + 1) & mask)
        {
            if (kinds[slot] == WordKind.None)
            {
                return WordKind.None;
            }

            if (keys[slot] == hash)
            {
                return kinds[slot];
            }
        }
    }

    private static int Slot(uint hash, int mask) => (int)((hash * 0x9E3779B97F4A7C15UL) >> 40) & mask;

    private static (uint[] Keys, WordKind[] Kinds) BuildTable()
    {
        var keys = new uint[1024];
        var kinds = new WordKind[1024];
        var mask = keys.Length - 1;
        foreach (var (set, kind) in new[] { (FunctionWords, WordKind.Function), (Months, WordKind.Month), (Units, WordKind.Unit) })
        {
            foreach (var hash in set)
            {
                var slot = Slot(hash, mask);
                while (kinds[slot] != WordKind.None && keys[slot] != hash)
                {
                    slot = (slot + 1) & mask;
                }

                keys[slot] = hash;
                kinds[slot] |= kind;
            }
        }

        return (keys, kinds);
    }

    private static HashSet<uint> Hashes(params string[] words) => [.. words.Select(TokenizedText.HashFolded)];
}
