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

    public static bool IsFunctionWord(ulong hash) => FunctionWords.Contains(hash);

    public static bool IsMonth(ulong hash) => Months.Contains(hash);

    public static bool IsUnit(ulong hash) => Units.Contains(hash);

    private static HashSet<ulong> Hashes(params string[] words) => [.. words.Select(TokenizedText.HashFolded)];
}
