namespace Stemma.Storage;

/// <summary>
/// The store cannot be used as asked: the file is not a database, its schema is newer than this build, it is locked...
/// The message names the store (file or server) so a CLI can print it as one clear line.
/// </summary>
public class StoreException : Exception
{
    public StoreException()
    {
    }

    public StoreException(string message)
        : base(message)
    {
    }

    public StoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
