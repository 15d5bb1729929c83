using System.Globalization;

namespace HorizonAI.Sandbox.Business;

/// <summary>
/// A small demo business behind the sandbox: a restaurant's function-tool endpoints, a test endpoint that misbehaves
/// on demand, and a pharmacy's MCP server. Records what they receive; thread-safe, lists are snapshots.
/// </summary>
public sealed class SandboxBusiness
{
    /// <summary>The tools secret the demo endpoints verify <c>X-HorizonAI-Signature</c> with: give a demo bot this <c>tools_secret</c>.</summary>
    public const string ToolsSecret = "sandbox-demo-tools-secret-do-not-use-in-production";

    /// <summary>The bearer token the demo MCP server requires (<c>Authorization: Bearer …</c>).</summary>
    public const string McpToken = "sandbox-demo-mcp-token";

    public const string SignatureHeader = "X-HorizonAI-Signature";
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>Route prefixes, relative to the sandbox's base URL.</summary>
    public const string RestaurantPath = "/demo/restaurant";
    public const string EchoPath = "/demo/tools/echo";
    public const string McpPath = "/demo/mcp";

    private readonly Lock _gate = new();
    private readonly Action _changed;
    private readonly List<BusinessCall> _calls = [];
    private readonly Dictionary<string, Booking> _bookings = new(StringComparer.Ordinal);
    private readonly List<Booking> _bookingOrder = [];
    private readonly List<McpToolCall> _mcpCalls = [];
    private TaskCompletionSource _release = NewRelease();
    private int _held;
    private int _nextBooking;

    internal SandboxBusiness(Action changed) => _changed = changed;

    /// <summary>Every function-tool call received, in arrival order; one under way has no <see cref="BusinessCall.Status"/> yet.</summary>
    public IReadOnlyList<BusinessCall> Calls
    {
        get { lock (_gate) { return [.. _calls]; } }
    }

    /// <summary>The restaurant's bookings, in the order they were made (a repeated key adds none).</summary>
    public IReadOnlyList<Booking> Bookings
    {
        get { lock (_gate) { return [.. _bookingOrder]; } }
    }

    /// <summary>Every <c>tools/call</c> the MCP server received, refused ones included.</summary>
    public IReadOnlyList<McpToolCall> McpCalls
    {
        get { lock (_gate) { return [.. _mcpCalls]; } }
    }

    /// <summary>Calls to <c>/demo/tools/echo?hold=1</c> waiting for <see cref="Release"/>.</summary>
    public int HeldCount
    {
        get { lock (_gate) { return _held; } }
    }

    /// <summary>Lets every held call answer; returns how many there were.</summary>
    public int Release()
    {
        TaskCompletionSource release;
        int held;
        lock (_gate)
        {
            release = _release;
            held = _held;
            _release = NewRelease();
        }

        release.TrySetResult();
        return held;
    }

    /// <summary>Clears the records and bookings and releases held calls.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _calls.Clear();
            _bookings.Clear();
            _bookingOrder.Clear();
            _mcpCalls.Clear();
        }

        Release();
        _changed();
    }

    internal int Begin(BusinessCall call)
    {
        int index;
        lock (_gate)
        {
            _calls.Add(call);
            index = _calls.Count - 1;
        }

        _changed();
        return index;
    }

    internal void Finish(int index, BusinessCall call, int status, DateTimeOffset at)
    {
        lock (_gate)
        {
            // A reset in between cleared the list: the call is gone from the record, as everything before it.
            if (index < _calls.Count && ReferenceEquals(_calls[index], call))
            {
                _calls[index] = call with { FinishedAt = at, Status = status };
            }
        }

        _changed();
    }

    /// <summary>The booking for <paramref name="key"/>: made now, or the one made for that key before.</summary>
    internal (Booking Booking, bool Created) Book(string key, int people, string time, string? name, DateTimeOffset at)
    {
        (Booking, bool) result;
        lock (_gate)
        {
            if (_bookings.TryGetValue(key, out var existing))
            {
                return (existing, false);
            }

            var booking = new Booking(string.Create(CultureInfo.InvariantCulture, $"BK-{++_nextBooking:0000}"), key, people, time, name, at);
            _bookings[key] = booking;
            _bookingOrder.Add(booking);
            result = (booking, true);
        }

        _changed();
        return result;
    }

    internal void RecordMcpCall(McpToolCall call)
    {
        lock (_gate)
        {
            _mcpCalls.Add(call);
        }

        _changed();
    }

    /// <summary>Waits for <see cref="Release"/>; false when the caller went away first.</summary>
    internal async Task<bool> HoldAsync(CancellationToken aborted)
    {
        Task released;
        lock (_gate)
        {
            _held++;
            released = _release.Task;
        }

        _changed();
        try
        {
            await released.WaitAsync(aborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            lock (_gate)
            {
                _held--;
            }

            _changed();
        }
    }

    private static TaskCompletionSource NewRelease() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
