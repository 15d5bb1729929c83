using HorizonAI.LoadGenerator.Results;

namespace HorizonAI.LoadGenerator.Scenario;

/// <summary>The latency the stand-ins inject on one message's path, subtracted to show the platform's own share.</summary>
public static class StandInLatency
{
    /// <summary>
    /// A conversation's first turn creates the OpenAI conversation first; every turn then makes the Responses call
    /// with the typing indicator (Twilio, on by default for bots) alongside, then sends the reply through Twilio.
    /// </summary>
    public static double Milliseconds(ScenarioSettings scenario, bool opensConversation) =>
        (opensConversation ? scenario.OpenAILatencyMs : 0)
        + Math.Max(scenario.OpenAILatencyMs, scenario.TwilioLatencyMs)
        + scenario.TwilioLatencyMs;
}
