using System.Globalization;

namespace Stemma.Bench;

/// <summary>
/// Reads the WordNet 3.0 database files (Debian's `wordnet-base`, /usr/share/wordnet): synsets with their member
/// lemmas from data.noun/verb/adj/adv, and irregular inflections from the .exc files. A development-time reader for
/// the synonym table Stemma ships and for the synonym spinner of the real-text benchmarks.
/// </summary>
internal sealed class WordNet
{
    public const string DefaultDirectory = "/usr/share/wordnet";

    private static readonly (string File, char Pos)[] DataFiles = [("data.noun", 'n'), ("data.verb", 'v'), ("data.adj", 'a'), ("data.adv", 'r')];
    private static readonly string[] ExceptionFiles = ["noun.exc", "verb.exc", "adj.exc", "adv.exc"];

    private WordNet(List<string[]> synsets, List<(string Inflected, string[] Bases)> irregular)
    {
        Synsets = synsets;
        Irregular = irregular;
        foreach (var (synset, index) in synsets.Select((s, i) => (s, i)))
        {
            foreach (var lemma in synset)
            {
                if (!SynsetsOf.TryGetValue(lemma, out var list))
                {
                    SynsetsOf[lemma] = list = [];
                }

                list.Add(index);
            }
        }
    }

    /// <summary>Every synset's lemmas (lower case; multi-word lemmas joined by '_').</summary>
    public IReadOnlyList<string[]> Synsets { get; }

    /// <summary>Irregular forms and their base forms ("geese" → "goose").</summary>
    public IReadOnlyList<(string Inflected, string[] Bases)> Irregular { get; }

    /// <summary>The synsets each lemma belongs to.</summary>
    public Dictionary<string, List<int>> SynsetsOf { get; } = new(StringComparer.Ordinal);

    public static bool IsAvailable(string directory) => File.Exists(Path.Combine(directory, "data.noun"));

    public static WordNet Load(string directory = DefaultDirectory)
    {
        var synsets = new List<string[]>();
        foreach (var (file, _) in DataFiles)
        {
            foreach (var line in File.ReadLines(Path.Combine(directory, file)))
            {
                // The license header lines start with two spaces; synset lines with their 8-digit offset.
                if (line.Length == 0 || line[0] == ' ')
                {
                    continue;
                }

                var fields = line.Split(' ');
                var count = int.Parse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                var lemmas = new string[count];
                for (var w = 0; w < count; w++)
                {
                    lemmas[w] = CleanLemma(fields[4 + (2 * w)]);
                }

                synsets.Add([.. lemmas.Distinct(StringComparer.Ordinal)]);
            }
        }

        var irregular = new List<(string, string[])>();
        foreach (var file in ExceptionFiles)
        {
            var path = Path.Combine(directory, file);
            if (!File.Exists(path))
            {
                continue;
            }

            foreach (var line in File.ReadLines(path))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 2)
                {
                    irregular.Add((fields[0], fields[1..]));
                }
            }
        }

        return new WordNet(synsets, irregular);
    }

    // Adjective lemmas may carry a syntactic marker: "galore(ip)".
    private static string CleanLemma(string lemma)
    {
        var paren = lemma.IndexOf('(', StringComparison.Ordinal);
        return (paren > 0 ? lemma[..paren] : lemma).ToLowerInvariant();
    }
}
