using System.Diagnostics;

namespace HorizonAI.ServiceDefaults.Telemetry;

/// <summary>
/// The product's own spans, and how one message's trace outlives any process: a span's W3C <c>traceparent</c> is
/// stored with the row it wrote (an inbound message: its webhook's; a reply part: its turn's, then its send's), and the
/// work that takes the row up later — on another silo, after a crash — starts its span as that one's child. Spans
/// carry the bot's number, the masked user, message SIDs and outcomes; never bodies, arguments, outputs or secrets.
/// </summary>
public static class HorizonTracing
{
    public const string SourceName = "HorizonAI";

    /// <summary>The most links a span carries (a group-commit flush serves up to a batch of writes).</summary>
    public const int MaxLinks = 32;

    public const string BotTag = "horizonai.bot";
    public const string UserTag = "horizonai.user";
    public const string MessageSidTag = "horizonai.message_sid";
    public const string MessageSidsTag = "horizonai.message_sids";
    public const string OutcomeTag = "horizonai.outcome";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The current span's traceparent, to be stored with what it writes; null when nothing traces it.</summary>
    public static string? CurrentTraceParent() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>A stored traceparent as a span context (default when there is none or it does not parse).</summary>
    public static ActivityContext ContextOf(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;

    /// <summary>
    /// Starts a span as the child of <paramref name="traceParent"/>, linked to <paramref name="linked"/> (other traces it
    /// serves, at most <see cref="MaxLinks"/>); without a parent it is a root, whatever span happens to be current.
    /// Null when nothing listens or the sampler drops it.
    /// </summary>
    public static Activity? StartFrom(string name, string? traceParent, IEnumerable<string?>? linked = null, ActivityKind kind = ActivityKind.Internal)
    {
        var parent = ContextOf(traceParent);
        if (parent == default)
        {
            Activity.Current = null;
        }

        return Source.StartActivity(name, kind, parent, links: Links(linked?.Select(ContextOf), parent.TraceId));
    }

    /// <summary>Distinct span contexts of other traces than <paramref name="own"/>, as links, capped.</summary>
    public static IEnumerable<ActivityLink>? Links(IEnumerable<ActivityContext>? contexts, ActivityTraceId own = default)
    {
        var links = contexts?
            .Where(c => c != default && c.TraceId != own)
            .DistinctBy(c => c.TraceId)
            .Take(MaxLinks)
            .Select(c => new ActivityLink(c))
            .ToList();
        return links is { Count: > 0 } ? links : null;
    }

    /// <summary>Adds a link to the span that wrote a row (e.g. the send a status callback settles), when there is one.</summary>
    public static void LinkTo(this Activity? activity, string? traceParent)
    {
        if (activity is not null && ContextOf(traceParent) is var context && context != default)
        {
            activity.AddLink(new ActivityLink(context));
        }
    }
}
