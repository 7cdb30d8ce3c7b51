namespace Stemma.Relate;

/// <summary>The best few items offered (those comparing greatest), best first, kept in a small sorted array.</summary>
internal sealed class Best<T>(int capacity)
    where T : struct, IComparable<T>
{
    private readonly T[] items = new T[capacity];

    public int Count { get; private set; }

    public T this[int k] => items[k];

    public void Clear() => Count = 0;

    public void Offer(T item)
    {
        if (capacity == 0 || (Count == capacity && item.CompareTo(items[Count - 1]) <= 0))
        {
            return;
        }

        var at = Count == capacity ? Count - 1 : Count++;
        while (at > 0 && item.CompareTo(items[at - 1]) > 0)
        {
            items[at] = items[at - 1];
            at--;
        }

        items[at] = item;
    }
}
