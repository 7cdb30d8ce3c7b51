namespace Stemma.Text;

/// <summary>
/// Scratch arrays a thread keeps in its own [ThreadStatic] fields and reuses from call to call: the per-document passes
/// (tokenizing, features, sorting) run on every document of a corpus, and renting from the shared pool cost them its
/// bookkeeping and, each time the pool was trimmed, fresh arrays and the collections they bring.
/// </summary>
internal static class ThreadBuffer
{
    /// <summary>Larger requests get an array of their own that is not kept: one huge document should not pin its buffers.</summary>
    private const int MaxKept = 1 << 18;

    /// <summary>An array of at least <paramref name="length"/> items (contents undefined), kept in <paramref name="field"/> when not too large.</summary>
    public static T[] Get<T>(ref T[]? field, int length)
    {
        if (field is { } kept && kept.Length >= length)
        {
            return kept;
        }

        if (length > MaxKept)
        {
            return GC.AllocateUninitializedArray<T>(length);
        }

        var grown = GC.AllocateUninitializedArray<T>(Math.Max(length, Math.Min(MaxKept, Math.Max(1024, 2 * (field?.Length ?? 0)))));
        field = grown;
        return grown;
    }
}
