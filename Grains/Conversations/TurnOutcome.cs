namespace HorizonAI.Grains.Conversations;

public enum TurnOutcome
{
    /// <summary>The assistant answered; the parts hold its reply.</summary>
    Answered,

    /// <summary>The turn failed for good; the parts hold the bot's fallback message, if it has one.</summary>
    Failed,

    /// <summary>An outage within the patience: keep the messages and run the turn again shortly.</summary>
    RetryLater,

    /// <summary>The silo is stopping under the turn: the messages stay open for the next activation.</summary>
    Interrupted,
}
