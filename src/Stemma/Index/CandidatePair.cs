namespace Stemma.Index;

/// <summary>
/// Two documents (indexes into the analysed article list, <see cref="A"/> &lt; <see cref="B"/>) found to share text,
/// with exact Jaccard and containment of their shingle sets. Containment = |A∩B| / min(|A|, |B|), so an excerpt scores high.
/// </summary>
public readonly record struct CandidatePair(int A, int B, double Jaccard, double Containment);
