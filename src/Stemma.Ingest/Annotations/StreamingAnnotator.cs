using System.IO.Hashing;
using System.Runtime.InteropServices;
using Stemma.Pipeline;

namespace Stemma.Ingest.Annotations;

/// <summary>
/// The corpus annotation of <see cref="CorpusAnnotator.Apply(IReadOnlyList{Article}, BoilerplateOptions)"/> over an input
/// that can be read again, without holding the corpus: each pass reads the articles in order and keeps only compact
/// evidence, and the annotated articles come out of a last pass, one at a time.
/// <list type="number">
/// <item>Boilerplate evidence, family keys and sentence sketches (while the caller's first read runs): per site, a 64-bit
/// hash of each distinct candidate paragraph key with the article holding it; the article ids and dates; each article's
/// sampled content-word pair keys (<see cref="InjectedSentences.Parsed.Keys"/>) and the sketch of its sentences that the
/// checks need (<see cref="InjectedSentences.Sketch"/>: 32 bits a content word, no text), from one scan of the body.</item>
/// <item>Only when some key is held by enough articles of its site: the greedy count of mutually unrelated holders, run
/// for all such keys at once in reading order (the order the in-memory pass takes them); each key keeps the word 4-gram
/// sets of the holders it chose, and drops them once it has enough or can no longer get enough.</item>
/// <item>Only when boilerplate was found: the family keys and sketches again, of the bodies that lost some. Families are
/// found from the keys and the ids alone.</item>
/// <item>Sentence checks, from the sketches (the input is not read for them): only articles with a family are unpacked,
/// each held until it and every article whose family it is in have been checked.</item>
/// <item>Output: each article with its boilerplate and injected sentences moved to annotations; a check that hung on
/// whether a sentence reads as click-bait (which needs the text) is decided here.</item>
/// </list>
/// An input whose text fits a budget the caller sets is held from the first read, and the later passes take it from memory.
/// The result equals the in-memory pass's except if two different paragraph keys of one site share a 64-bit hash.
/// Every pass must see the same articles in the same order; a pass that does not throws.
/// </summary>
public sealed class StreamingAnnotator
{
    /// <summary>Articles checked together (on all cores) in the sentence-check pass.</summary>
    private const int CheckBatch = 512;

    private readonly Func<IEnumerable<Article>> readAgain;
    private readonly BoilerplateOptions boilerplateOptions;
    private readonly InjectionOptions injectionOptions;
    private readonly List<string> ids = [];
    private readonly Dictionary<string, int> siteIndex = new(StringComparer.Ordinal);
    private readonly List<SiteEvidence> sites = [];
    private List<ulong[]> familyKeys = [];

    // What the sentence checks work from; dropped once they are done.
    private Sketching? sketching = new();

    // Decided: boilerplate key hashes per site (by site index), and injected sentences per article.
    private HashSet<ulong>?[] boilerplate = [];
    private readonly Dictionary<int, List<(int Paragraph, int Sentence)>> injected = [];

    // Articles whose injected sentences depend on a click-bait test of their text: decided when the output reads them.
    private readonly Dictionary<int, InjectedSentences.Verdict> undecided = [];

    // The first read's articles while their text fits the budget (later passes take them instead of reading again); null
    // once it does not.
    private List<Article>? held;
    private long heldCharacters;
    private readonly long holdCharacters;

    private StreamingAnnotator(Func<IEnumerable<Article>> readAgain, BoilerplateOptions boilerplateOptions, InjectionOptions injectionOptions, long holdCharacters)
    {
        this.readAgain = readAgain;
        this.boilerplateOptions = boilerplateOptions;
        this.injectionOptions = injectionOptions;
        this.holdCharacters = holdCharacters;
        held = holdCharacters > 0 ? [] : null;
    }

    /// <summary>Articles in the input.</summary>
    public int Count => ids.Count;

    /// <summary>
    /// Runs the evidence passes: <paramref name="first"/> is the first read (whatever the caller does on it, such as
    /// reporting errors, happens once), <paramref name="readAgain"/> reads the same articles again for each later pass.
    /// </summary>
    /// <param name="holdCharacters">When the first read's bodies and titles come to at most this many characters, its
    /// articles are held and every later pass (the output included) takes them instead of reading again: an input that
    /// fits in memory is read once. Past it nothing is held, so memory stays bounded whatever the input.</param>
    public static StreamingAnnotator Prepare(IEnumerable<Article> first, Func<IEnumerable<Article>> readAgain, BoilerplateOptions? boilerplateOptions = null, InjectionOptions? injectionOptions = null, long holdCharacters = 0)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(readAgain);
        var annotator = new StreamingAnnotator(readAgain, boilerplateOptions ?? BoilerplateOptions.Default, injectionOptions ?? InjectionOptions.Default, holdCharacters);
        using (StageTimings.Start("read, boilerplate evidence, family keys, sentence sketches"))
        {
            // The family keys and sketches of the bodies as read: they stand unless the boilerplate pass changes a body. A
            // batch is sketched on the pool while the next one is read (reading waits on its own workers, which would
            // otherwise leave the cores the sketches could use idle); the evidence is kept in reading order.
            (Task Sketched, Article[] Batch, ulong[][] Keys, int[][] Sketches)? pending = null;
            foreach (var batch in first.Chunk(CheckBatch))
            {
                var keys = new ulong[batch.Length][];
                var sketches = new int[batch.Length][];
                var sketched = Task.Run(() => Parallel.For(0, batch.Length, at => sketches[at] = annotator.Sketch(batch[at], out keys[at])));
                if (pending is { } previous)
                {
                    annotator.Keep(previous.Sketched, previous.Batch, previous.Keys, previous.Sketches);
                }

                pending = (sketched, batch, keys, sketches);
            }

            if (pending is { } last)
            {
                annotator.Keep(last.Sketched, last.Batch, last.Keys, last.Sketches);
            }
        }

        using (StageTimings.Start("boilerplate decided"))
        {
            annotator.DecideBoilerplate();
        }

        if (annotator.Count >= 2)
        {
            annotator.FindInjected();
        }

        annotator.sketching = null;
        return annotator;
    }

    /// <summary>The annotated articles, read once more (or taken from the first read when it was held).</summary>
    public IEnumerable<Article> Articles()
    {
        foreach (var (index, article, _) in Reread())
        {
            if (undecided.TryGetValue(index, out var verdict))
            {
                var text = new InjectedSentences.Parsed(article);
                var decided = verdict.Decide(text.IsClickBait, injectionOptions);
                yield return decided.Count > 0 ? InjectedSentences.MoveToAnnotations(article, decided) : article;
                continue;
            }

            yield return injected.TryGetValue(index, out var sentences) ? InjectedSentences.MoveToAnnotations(article, sentences) : article;
        }
    }

    /// <summary>Once <paramref name="sketched"/> is done: the batch's evidence, keys, sketches and dates, in reading order.</summary>
    private void Keep(Task sketched, Article[] batch, ulong[][] keys, int[][] sketches)
    {
        sketched.GetAwaiter().GetResult();
        for (var at = 0; at < batch.Length; at++)
        {
            Hold(batch[at]);
            AddEvidence(batch[at]);
            familyKeys.Add(keys[at]);
            sketching!.Store.Add(sketches[at]);
            sketching.Dates.Add(batch[at].Date);
        }
    }

    private void Hold(Article article)
    {
        if (held is null)
        {
            return;
        }

        heldCharacters += article.Body.Length + (article.Title?.Length ?? 0);
        if (heldCharacters > holdCharacters)
        {
            held = null;
            return;
        }

        held.Add(article);
    }

    private void AddEvidence(Article article)
    {
        var index = ids.Count;
        ids.Add(article.Id);
        if (article.Site is not { } site)
        {
            return;
        }

        if (!siteIndex.TryGetValue(site, out var at))
        {
            siteIndex[site] = at = sites.Count;
            sites.Add(new SiteEvidence());
        }

        var evidence = sites[at];
        var local = evidence.Members.Count;
        evidence.Members.Add(index);
        var seen = new HashSet<ulong>();
        foreach (var paragraph in CorpusAnnotator.BodyParagraphs(article.Body))
        {
            var key = CorpusAnnotator.LineKey(paragraph);
            if (CorpusAnnotator.IsCandidateLine(key, boilerplateOptions) && seen.Add(KeyHash(key)))
            {
                evidence.Postings.Add(new Posting(KeyHash(key), local, LineClassifier.CountWords(key) < boilerplateOptions.ShortLineWords));
            }
        }
    }

    private int[] Sketch(Article article, out ulong[] keys) => InjectedSentences.Sketch(article.Body, sketching!.Words, sketching.DenseWords, out keys);

    private static ulong KeyHash(string key) => XxHash64.HashToUInt64(MemoryMarshal.AsBytes(key.AsSpan()));

    private void DecideBoilerplate()
    {
        // Keys held by enough articles of their site, each with its holders in reading order.
        var keys = new List<KeyCount>();
        for (var site = 0; site < sites.Count; site++)
        {
            var evidence = sites[site];
            var postings = CollectionsMarshal.AsSpan(evidence.Postings);
            if (evidence.Members.Count >= boilerplateOptions.MinUnrelatedArticles)
            {
                postings.Sort(static (a, b) => a.Hash != b.Hash ? a.Hash.CompareTo(b.Hash) : a.Local.CompareTo(b.Local));
                for (var start = 0; start < postings.Length;)
                {
                    var end = start + 1;
                    while (end < postings.Length && postings[end].Hash == postings[start].Hash)
                    {
                        end++;
                    }

                    var needed = CorpusAnnotator.NeededHolders(postings[start].Short, evidence.Members.Count, boilerplateOptions);
                    if (end - start >= needed)
                    {
                        var holders = new int[end - start];
                        for (var at = start; at < end; at++)
                        {
                            holders[at - start] = evidence.Members[postings[at].Local];
                        }

                        keys.Add(new KeyCount(site, postings[start].Hash, holders, needed));
                    }

                    start = end;
                }
            }

            sites[site] = new SiteEvidence();
        }

        boilerplate = new HashSet<ulong>?[sites.Count];
        if (keys.Count == 0)
        {
            return;
        }

        // Which keys each article holds, in reading order: (article, key) sorted by article.
        var holdings = keys.SelectMany((key, k) => key.Holders.Select(holder => (Article: holder, Key: k))).OrderBy(pair => pair.Article).ThenBy(pair => pair.Key).ToArray();
        var next = 0;
        foreach (var (index, article, _) in Reread())
        {
            if (next >= holdings.Length)
            {
                break;
            }

            HashSet<ulong>? shingles = null;
            for (; next < holdings.Length && holdings[next].Article == index; next++)
            {
                var key = keys[holdings[next].Key];
                if (!key.Done)
                {
                    key.Offer(shingles ??= CorpusAnnotator.Shingles(article.Body), boilerplateOptions.MaxRelatedSimilarity);
                }
            }
        }

        foreach (var key in keys.Where(key => key.Found))
        {
            (boilerplate[key.Site] ??= []).Add(key.Hash);
        }
    }

    /// <summary>The injected-sentence pass of <see cref="InjectedSentences"/>, from family keys and then families only.</summary>
    private void FindInjected()
    {
        var keys = familyKeys.ToArray();
        familyKeys = [];
        if (boilerplate.Any(lines => lines is not null))
        {
            // Bodies that lost boilerplate get their keys and sketches again.
            using var rekeying = StageTimings.Start("injected sentences: family keys of bodies without boilerplate");
            foreach (var batch in Reread().Where(entry => entry.Changed).Chunk(CheckBatch))
            {
                var sketched = new int[batch.Length][];
                Parallel.For(0, batch.Length, at => sketched[at] = Sketch(batch[at].Article, out keys[batch[at].Index]));
                for (var at = 0; at < batch.Length; at++)
                {
                    sketching!.Store.Replace(batch[at].Index, sketched[at]);
                }
            }
        }

        int[]?[] families;
        using (StageTimings.Start("injected sentences: families (streamed)"))
        {
            families = InjectedSentences.FindFamilyMembers(keys, [.. ids], injectionOptions);
        }

        keys = [];
        if (families.All(members => members is null))
        {
            return;
        }

        using var timing = StageTimings.Start("injected sentences: sentences checked (streamed)");

        // An article is checked once it and its members are parsed; a parsed article is dropped once every check that needs
        // it is done, so only families whose members are still to come are held.
        var uses = new int[Count];
        var dependents = new List<int>?[Count];
        for (var index = 0; index < Count; index++)
        {
            if (families[index] is not { Length: > 0 } members)
            {
                continue;
            }

            uses[index]++;
            foreach (var member in members)
            {
                uses[member]++;
                (dependents[member] ??= []).Add(index);
            }
        }

        var parsed = new InjectedSentences.Parsed?[Count];
        var ready = new List<int>();
        for (var index = 0; index < Count; index++)
        {
            if (uses[index] == 0)
            {
                continue;
            }

            parsed[index] = new InjectedSentences.Parsed(sketching!.Store.Get(index), sketching.Dates[index]);
            Consider(index);
            foreach (var dependent in dependents[index] ?? [])
            {
                Consider(dependent);
            }

            if (ready.Count >= CheckBatch)
            {
                Check();
            }
        }

        Check();

        void Consider(int index)
        {
            if (families[index] is { Length: > 0 } members && parsed[index] is not null && members.All(member => parsed[member] is not null))
            {
                ready.Add(index);
            }
        }

        void Check()
        {
            var found = new InjectedSentences.Verdict[ready.Count];
            Parallel.For(0, ready.Count, at =>
            {
                var index = ready[at];
                found[at] = InjectedSentences.Weigh(parsed[index]!, [.. families[index]!.Select(member => parsed[member]!)], injectionOptions);
            });
            for (var at = 0; at < ready.Count; at++)
            {
                var index = ready[at];
                if (found[at].NeedsText)
                {
                    undecided[index] = found[at];
                }
                else if (!found[at].IsEmpty && found[at].Decide(_ => false, injectionOptions) is { Count: > 0 } sentences)
                {
                    injected[index] = sentences;
                }

                Release(index);
                foreach (var member in families[index]!)
                {
                    Release(member);
                }

                families[index] = null;
            }

            ready.Clear();
        }

        void Release(int index)
        {
            if (--uses[index] == 0)
            {
                parsed[index] = null;
            }
        }
    }

    /// <summary>
    /// The input read again, with its boilerplate moved to annotations, each article with its place in the input and whether
    /// it lost boilerplate.
    /// </summary>
    private IEnumerable<(int Index, Article Article, bool Changed)> Reread()
    {
        var index = 0;
        foreach (var article in held ?? readAgain())
        {
            if (index >= ids.Count || !string.Equals(article.Id, ids[index], StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the input changed while it was being read again (article {index + 1}: '{article.Id}')");
            }

            var stripped = article.Site is { } site && siteIndex.TryGetValue(site, out var at) && boilerplate.Length > at && boilerplate[at] is { } lines
                ? CorpusAnnotator.MoveToAnnotations(article, key => lines.Contains(KeyHash(key)))
                : article;
            yield return (index++, stripped, !ReferenceEquals(stripped, article));
        }

        if (index != ids.Count)
        {
            throw new InvalidOperationException($"the input changed while it was being read again ({index} articles instead of {ids.Count})");
        }
    }

    /// <summary>The sentence sketches and dates in reading order, and the tables that number the sketches' words.</summary>
    private sealed class Sketching
    {
        public SketchStore Store { get; } = new();

        public List<DateTimeOffset?> Dates { get; } = [];

        // One word table for every sketch, so that equal words get equal numbers in all of them.
        public InjectedSentences.WordTable Words { get; } = new();

        public InjectedSentences.DenseWords DenseWords { get; } = new();
    }

    /// <summary>
    /// The sentence sketches in reading order, packed into large shared arrays (a few objects for the collector to look at,
    /// instead of one per article).
    /// </summary>
    private sealed class SketchStore
    {
        private const int ChunkLength = 1 << 20;

        private readonly List<int[]> chunks = [];
        private readonly List<(int Chunk, int Start, int Length)> places = [];
        private int used = ChunkLength;

        public void Add(int[] sketch) => places.Add(Append(sketch));

        /// <summary>Gives an article a new sketch (the old one's room is not reused).</summary>
        public void Replace(int index, int[] sketch) => places[index] = Append(sketch);

        public ReadOnlyMemory<int> Get(int index)
        {
            var (chunk, start, length) = places[index];
            return chunks[chunk].AsMemory(start, length);
        }

        private (int Chunk, int Start, int Length) Append(int[] sketch)
        {
            if (sketch.Length > ChunkLength)
            {
                // A sketch larger than a chunk keeps its own array.
                chunks.Add(sketch);
                used = ChunkLength;
                return (chunks.Count - 1, 0, sketch.Length);
            }

            if (used + sketch.Length > ChunkLength)
            {
                chunks.Add(new int[ChunkLength]);
                used = 0;
            }

            sketch.CopyTo(chunks[^1], used);
            used += sketch.Length;
            return (chunks.Count - 1, used - sketch.Length, sketch.Length);
        }
    }

    private readonly record struct Posting(ulong Hash, int Local, bool Short);

    private sealed class SiteEvidence
    {
        /// <summary>The site's articles (their places in the input), in reading order.</summary>
        public List<int> Members { get; } = [];

        public List<Posting> Postings { get; } = [];
    }

    /// <summary>One key's greedy count of mutually unrelated holders (as CorpusAnnotator counts them), fed in reading order.</summary>
    private sealed class KeyCount(int site, ulong hash, int[] holders, int needed)
    {
        private List<HashSet<ulong>>? chosen = [];
        private int offered;

        public int Site { get; } = site;

        public ulong Hash { get; } = hash;

        public int[] Holders { get; } = holders;

        public bool Found { get; private set; }

        public bool Done => chosen is null;

        public void Offer(HashSet<ulong> shingles, double maxRelated)
        {
            offered++;
            if (chosen is not { } list)
            {
                return;
            }

            if (list.All(other => CorpusAnnotator.Jaccard(shingles, other) < maxRelated))
            {
                list.Add(shingles);
            }

            if (list.Count >= needed)
            {
                (Found, chosen) = (true, null);
            }
            else if (list.Count + (Holders.Length - offered) < needed)
            {
                chosen = null;
            }
        }
    }
}
