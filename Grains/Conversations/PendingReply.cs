namespace HorizonAI.Grains.Conversations;

/// <summary>The outcome of one assistant turn, kept until all of its parts are delivered.</summary>
[GenerateSerializer, Alias("horizonai.pending-reply")]
public sealed class PendingReply
{
    /// <summary>The inbound messages this reply answers.</summary>
    [Id(0)] public List<string> AnsweredSids { get; set; } = [];

    [Id(1)] public List<string> Parts { get; set; } = [];

    /// <summary>How many parts Twilio has accepted; delivery resumes from here.</summary>
    [Id(2)] public int SentParts { get; set; }

    /// <summary>The turn failed; <see cref="Parts"/> then hold the bot's fallback message, if any.</summary>
    [Id(3)] public bool Failed { get; set; }

    [Id(4)] public string? ErrorCode { get; set; }

    [Id(5)] public string? ErrorMessage { get; set; }

    [Id(6)] public int InputTokens { get; set; }

    [Id(7)] public int OutputTokens { get; set; }

    [Id(8)] public int CachedTokens { get; set; }

    /// <summary>Not stored: the turn hit an outage and will be run again, with the messages still in the inbox.</summary>
    [Id(9)] public bool RetryLater { get; set; }
}
