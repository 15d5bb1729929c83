namespace HorizonAI.LoadGenerator.Results;

/// <summary>The pipeline scenario as it was run.</summary>
/// <param name="Run">The tag in this run's message bodies.</param>
/// <param name="OpenAILatencyMs">Latency the OpenAI stand-in added to every request.</param>
/// <param name="TwilioLatencyMs">Latency the Twilio stand-in added to every request.</param>
/// <param name="AckTimeoutSeconds">How long a webhook may wait for its answer before it counts as timed out (Twilio: 15 s).</param>
public sealed record ScenarioSettings(
    string Run,
    string Mode,
    double Rate,
    int Concurrency,
    double DurationSeconds,
    int Bots,
    int Users,
    int OpenAILatencyMs,
    int TwilioLatencyMs,
    double DrainTimeoutSeconds,
    int MaxConnections,
    double AckTimeoutSeconds);
