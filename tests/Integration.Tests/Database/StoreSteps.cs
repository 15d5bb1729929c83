using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using HorizonAI.Grains.Storage;

namespace HorizonAI.Integration.Tests.Database;

/// <summary>
/// The steps of a conversation that the store contract tests take again and again, taken through the store's own
/// operations, so that every test starts from rows the product itself could have written.
/// </summary>
internal static class StoreSteps
{
    public static InboundMessage Inbound(string bot, string user, string sid, string body, DateTimeOffset at) => new()
    {
        MessageSid = sid,
        BotNumber = bot,
        BotId = bot,
        UserNumber = user,
        Body = body,
        ReceivedAt = at,
    };

    /// <summary>The user's message, accepted into the inbox; returns its row id.</summary>
    public static async Task<long> ReceiveAsync(this IMessageStore store, string bot, string user, string sid, DateTimeOffset at, string body = "hola") =>
        (await store.AcceptAsync(Inbound(bot, user, sid, body, at), MessageStatus.Received)).Id!.Value;

    /// <summary>A turn that answers <paramref name="ids"/> with <paramref name="parts"/> and changes no state; it must claim them.</summary>
    public static async Task<IReadOnlyList<PendingPart>> AnswerAsync(this IMessageStore store, string bot, string user, IReadOnlyList<long> ids, params ReplyPart[] parts) =>
        await store.CommitTurnAsync(new TurnRecord(bot, user, ids, parts, 0, 0, 0, null, null, null))
        ?? throw new InvalidOperationException($"The turn of {bot}/{user} could not claim messages {string.Join(", ", ids)}.");

    /// <summary>A part Twilio took, recorded with its SID.</summary>
    public static Task<Settlement> SentAsync(this IMessageStore store, string bot, string user, PendingPart part, string sid, bool isLast = true) =>
        store.RecordPartAsync(new PartRecord(bot, user, part.Id, sid, "queued", null, null, null, isLast));

    /// <summary>The user writes a stop keyword and the turn that confirms it records the opt-out, as the conversation does.</summary>
    public static async Task OptOutAsync(this IMessageStore store, string bot, string user, DateTimeOffset at)
    {
        var stop = await store.ReceiveAsync(bot, user, "SMstop" + user, at, "STOP");
        Assert.NotNull(await store.CommitTurnAsync(new TurnRecord(bot, user, [stop], ["Listo"], 0, 0, 0, null, null, new ConversationState(null, []) { OptedOutAt = at })));
    }

    /// <summary>What every shard of the recovery sweep finds, together (a conversation found by two would be listed twice).</summary>
    public static async Task<List<PendingConversation>> SweepAsync(this IMessageStore store, DateTimeOffset before, DateTimeOffset now)
    {
        var found = new List<PendingConversation>();
        for (var shard = 0; shard < IInboxSweepGrain.Shards; shard++)
        {
            found.AddRange(await store.FindPendingAsync(shard, IInboxSweepGrain.Shards, before, now, 100));
        }

        return found;
    }

    public static async Task<TranscriptMessage[]> TranscriptAsync(this IMessageLogQueries queries, string bot, string user) =>
        (await queries.GetTranscriptAsync(bot, user, 0, 100)).Items;
}
