namespace HorizonAI.Grains.Interfaces;

/// <summary>A message a person sends to the user as the bot (from the admin API or the console): text, media, or both.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.operator-message")]
public sealed record OperatorMessage
{
    /// <summary>E.164 number of the end user (checked against the conversation's key).</summary>
    [Id(0)] public required string UserNumber { get; init; }

    [Id(1)] public string Text { get; init; } = "";

    /// <summary>A public URL of media to send (Twilio fetches it), or null.</summary>
    [Id(2)] public string? MediaUrl { get; init; }

    /// <summary>Who sent it, as shown in the transcript.</summary>
    [Id(3)] public required string SentBy { get; init; }
}

/// <summary>An approved template for the user, with its variables in placeholder order.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.template-message")]
public sealed record TemplateMessage
{
    [Id(0)] public required string UserNumber { get; init; }

    [Id(1)] public required MessageTemplate Template { get; init; }

    /// <summary>The value of each of the template's variables, in its order.</summary>
    [Id(2)] public string[] Values { get; init; } = [];

    /// <summary>Who sent it, as shown in the transcript (an operator, <c>api</c>, <c>campaign …</c>).</summary>
    [Id(3)] public required string SentBy { get; init; }

    /// <summary>The campaign recipient it is for: queued only while that recipient is still pending, in the same commit.</summary>
    [Id(4)] public string? CampaignId { get; init; }

    [Id(5)] public int Position { get; init; }
}

/// <summary>What became of a message of the business: its outbound rows, or why there are none.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.outbound-outcome")]
public sealed record OutboundOutcome
{
    public const string OptedOut = "opted_out";
    public const string OutsideWindow = "outside_window";

    /// <summary>A campaign recipient that was no longer pending (queued before, or canceled): nothing new was queued.</summary>
    public const string NotPending = "not_pending";

    [Id(0)] public long[] Ids { get; init; } = [];

    /// <summary><see cref="OptedOut"/>, <see cref="OutsideWindow"/>, or null when it was queued.</summary>
    [Id(1)] public string? Refusal { get; init; }

    /// <summary>When the user last wrote (the 24-hour window runs from it), or null if never.</summary>
    [Id(2)] public DateTimeOffset? LastInboundAt { get; init; }

    /// <summary>The template sent in place of free text once the window had closed (the bot's re-engagement template), or null.</summary>
    [Id(3)] public string? SentAsTemplate { get; init; }
}
