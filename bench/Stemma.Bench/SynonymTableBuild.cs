using System.IO.Compression;
using System.Text;

namespace Stemma.Bench;

/// <summary>
/// Builds the synonym table Stemma ships (src/Stemma/Relate/Synonyms/wordnet-synonyms.txt.gz) from WordNet 3.0:
/// every synset with at least two one-word lemmas, and the irregular inflections whose base is in one of them.
/// Usage: synonyms [WORDNET-DIR] [OUTPUT] (defaults: /usr/share/wordnet, the source path above)
/// </summary>
internal static class SynonymTableBuild
{
    public static int Run(string[] args)
    {
        var directory = args.Length > 0 ? args[0] : WordNet.DefaultDirectory;
        var output = args.Length > 1 ? args[1] : Path.Combine("src", "Stemma", "Relate", "Synonyms", "wordnet-synonyms.txt.gz");
        if (!WordNet.IsAvailable(directory))
        {
            Console.Error.WriteLine($"synonyms: no WordNet database in {directory} (apt-get install wordnet-base)");
            return 2;
        }

        var wordNet = WordNet.Load(directory);
        var sets = wordNet.Synsets
            .Select(s => s.Where(IsOneWord).ToArray())
            .Where(s => s.Length >= 2)
            .Select(s => string.Join(' ', s))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var inTable = sets.SelectMany(s => s.Split(' ')).ToHashSet(StringComparer.Ordinal);
        var irregular = wordNet.Irregular
            .Where(x => IsOneWord(x.Inflected) && x.Bases.Any(inTable.Contains))
            .Select(x => x.Inflected + " " + string.Join(' ', x.Bases.Where(inTable.Contains)))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        using (var file = File.Create(output))
        using (var gzip = new GZipStream(file, CompressionLevel.SmallestSize))
        using (var writer = new StreamWriter(gzip, new UTF8Encoding(false)))
        {
            writer.NewLine = "\n";
            writer.WriteLine("# Synonym sets derived from WordNet 3.0 (Copyright 2006 by Princeton University; license in WORDNET-LICENSE).");
            writer.WriteLine("# 's' lines: one synset's one-word lemmas. 'x' lines: an irregular form, then its base forms.");
            foreach (var set in sets)
            {
                writer.WriteLine("s " + set);
            }

            foreach (var line in irregular)
            {
                writer.WriteLine("x " + line);
            }
        }

        Console.WriteLine($"{sets.Count} synsets, {inTable.Count} lemmas, {irregular.Count} irregular forms -> {output} ({new FileInfo(output).Length / 1024} KB)");
        return 0;
    }

    private static bool IsOneWord(string lemma) => lemma.Length > 0 && !lemma.Contains('_', StringComparison.Ordinal) && !lemma.Contains('-', StringComparison.Ordinal);
}
