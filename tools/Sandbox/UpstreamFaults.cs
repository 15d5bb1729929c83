using HorizonAI.Sandbox.Faults;

namespace HorizonAI.Sandbox;

/// <summary>
/// Fault switches for one upstream (Twilio or OpenAI). Every property can be changed at any time from any thread,
/// from code or with <c>POST /_sandbox/faults/{twilio|openai}</c>; requests already being answered keep the plan
/// they started with.
/// </summary>
public sealed class UpstreamFaults
{
    public const int DefaultFailStatus = 503;

    private readonly Lock _gate = new();
    private int _latencyMs;
    private int _failNext;
    private int _failStatus = DefaultFailStatus;
    private int? _retryAfterSeconds;
    private bool _down;
    private bool _hang;
    private int? _twilioErrorCode;

    /// <summary>Delay before answering every request (failures included), in milliseconds.</summary>
    public int LatencyMs
    {
        get { lock (_gate) { return _latencyMs; } }
        set { ArgumentOutOfRangeException.ThrowIfNegative(value); lock (_gate) { _latencyMs = value; } }
    }

    /// <summary>Answer the next N requests with <see cref="FailStatus"/>; counts down as they arrive.</summary>
    public int FailNext
    {
        get { lock (_gate) { return _failNext; } }
        set { ArgumentOutOfRangeException.ThrowIfNegative(value); lock (_gate) { _failNext = value; } }
    }

    /// <summary>The HTTP status of injected failures (400–599; default 503).</summary>
    public int FailStatus
    {
        get { lock (_gate) { return _failStatus; } }
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 400);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 599);
            lock (_gate) { _failStatus = value; }
        }
    }

    /// <summary>Sent as the <c>Retry-After</c> header (seconds) on injected failures.</summary>
    public int? RetryAfterSeconds
    {
        get { lock (_gate) { return _retryAfterSeconds; } }
        set
        {
            if (value is < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Retry-After cannot be negative.");
            }

            lock (_gate) { _retryAfterSeconds = value; }
        }
    }

    /// <summary>Every request fails with <see cref="FailStatus"/> until this is cleared.</summary>
    public bool Down
    {
        get { lock (_gate) { return _down; } }
        set { lock (_gate) { _down = value; } }
    }

    /// <summary>Never answer: the request stays open until the client gives up or the sandbox stops.</summary>
    public bool Hang
    {
        get { lock (_gate) { return _hang; } }
        set { lock (_gate) { _hang = value; } }
    }

    /// <summary>
    /// The Twilio error <c>code</c> in the JSON body of injected Twilio failures (e.g. 20429 with 429, 63016 or
    /// 21211 with 400). When null a code matching <see cref="FailStatus"/> is used. Ignored for OpenAI.
    /// </summary>
    public int? TwilioErrorCode
    {
        get { lock (_gate) { return _twilioErrorCode; } }
        set { lock (_gate) { _twilioErrorCode = value; } }
    }

    /// <summary>Clears every switch.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _latencyMs = 0;
            _failNext = 0;
            _failStatus = DefaultFailStatus;
            _retryAfterSeconds = null;
            _down = false;
            _hang = false;
            _twilioErrorCode = null;
        }
    }

    /// <summary>
    /// Decides, in one atomic step, what happens to a request that just arrived; consumes one
    /// <see cref="FailNext"/> when it decides to fail.
    /// </summary>
    internal FaultPlan TakePlan()
    {
        lock (_gate)
        {
            var fail = _down;
            if (!fail && _failNext > 0)
            {
                _failNext--;
                fail = true;
            }

            return new FaultPlan(_latencyMs, _hang, fail, _failStatus, _retryAfterSeconds, _twilioErrorCode);
        }
    }
}
