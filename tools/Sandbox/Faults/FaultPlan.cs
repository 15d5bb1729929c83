namespace HorizonAI.Sandbox.Faults;

/// <summary>What the fault switches decided for one request, taken atomically when it arrived.</summary>
internal readonly record struct FaultPlan(
    int LatencyMs,
    bool Hang,
    bool Fail,
    int FailStatus,
    int? RetryAfterSeconds,
    int? TwilioErrorCode);
