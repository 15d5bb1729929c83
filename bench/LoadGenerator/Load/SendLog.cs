using System.Diagnostics;

namespace HorizonAI.LoadGenerator.Load;

/// <summary>
/// What happened to each message, by sequence number: when it was meant to be sent, when it actually left, when the
/// answer came back and with which status. Each sender writes only its own slots, so no locking is needed.
/// Times are <see cref="Stopwatch"/> timestamps; <see cref="WallClock"/> turns them into UTC.
/// </summary>
public sealed class SendLog
{
    private long _count;
    private long _completed;

    public SendLog(long capacity)
    {
        Intended = new long[capacity];
        Started = new long[capacity];
        Answered = new long[capacity];
        Status = new short[capacity];
    }

    public long[] Intended { get; }

    public long[] Started { get; }

    public long[] Answered { get; }

    public short[] Status { get; }

    public long Capacity => Intended.Length;

    /// <summary>Messages sent (slots 0 to Count-1 are filled).</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Messages whose answer (or failure) has been recorded so far.</summary>
    public long Completed => Interlocked.Read(ref _completed);

    public void Record(long sequence, long intended, long started, long answered, int status)
    {
        Intended[sequence] = intended;
        Started[sequence] = started;
        Answered[sequence] = answered;
        Status[sequence] = (short)status;
        Interlocked.Increment(ref _completed);
    }

    public void SetCount(long count) => Interlocked.Exchange(ref _count, count);
}
