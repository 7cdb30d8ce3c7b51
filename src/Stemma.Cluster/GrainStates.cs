using Orleans.Storage;

namespace Stemma.Cluster;

internal static class GrainStates
{
    /// <summary>
    /// Writes a state over whatever is stored under its name. The calling activation is the grain's only writer; a version
    /// conflict means an entry left by an earlier activation (written, never read by this one), which is read for its
    /// version and replaced.
    /// </summary>
    public static async Task WriteOverAsync<T>(this IGrainStorage storage, string name, GrainId grain, GrainState<T> state)
    {
        try
        {
            await storage.WriteStateAsync(name, grain, state).ConfigureAwait(true);
        }
        catch (InconsistentStateException)
        {
            var stored = new GrainState<T>();
            await storage.ReadStateAsync(name, grain, stored).ConfigureAwait(true);
            state.ETag = stored.ETag;
            state.RecordExists = stored.RecordExists;
            await storage.WriteStateAsync(name, grain, state).ConfigureAwait(true);
        }
    }
}
