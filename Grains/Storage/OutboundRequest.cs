using HorizonAI.Grains.Messaging;

namespace HorizonAI.Grains.Storage;

/// <summary>
/// A message the business sends (an operator, the API, a campaign), queued as pending outbound rows behind what the
/// outbox already holds. Free text needs the 24-hour window open (the user wrote in the last 24 hours); a template
/// (<see cref="ContentSid"/>) goes at any time. Nothing goes to a user who opted out.
/// </summary>
public sealed record OutboundRequest(IReadOnlyList<ReplyPart> Parts, string SentBy)
{
    public string? ContentSid { get; init; }

    public string? ContentVariables { get; init; }

    /// <summary>The campaign recipient this is for: queued only if still pending (then marked queued), else none; skipped if opted out.</summary>
    public (string Id, int Position)? Campaign { get; init; }

    /// <summary>The traceparent of the request that sent it: the send of its rows continues that trace.</summary>
    public string? TraceParent { get; init; }

    public bool NeedsWindow => ContentSid is null;
}

/// <summary>The rows queued, or why none was: <see cref="OptedOut"/> or <see cref="OutsideWindow"/>.</summary>
public sealed record OutboundResult(IReadOnlyList<PendingPart> Parts, string? Refusal, DateTimeOffset? LastInboundAt)
{
    public const string OptedOut = "opted_out";
    public const string OutsideWindow = "outside_window";
    public const string NotPending = "not_pending";

    /// <summary>How long after the user's last message free text may still be sent (WhatsApp's customer-service window).</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);
}
