using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using HorizonAI.Storage.Messages;

namespace HorizonAI.Grains.Storage;

/// <summary>
/// The messages table as the durable inbox and outbox of every conversation, and the only record of each message: a
/// message is accepted when its inbound row is committed, a turn's reply lives as pending outbound rows until each is
/// sent, and statuses only move forward. Every write returns once it is committed (the PostgreSQL store commits the
/// writes of all conversations together, see <see cref="GroupCommit.GroupCommitWriter"/>). Writes are safe to repeat:
/// a repeated write finds its work done and says so instead of doing it twice. A conversation is named by its bot's id
/// (<c>botId</c>: whose data it is) and the user's number; a bot's number names no data.
/// </summary>
public interface IMessageStore
{
    /// <summary>Stores an inbound message once per (bot, MessageSid) with status <paramref name="status"/>; a repeat finds the stored row.</summary>
    Task<AcceptedRow> AcceptAsync(InboundMessage message, string status);

    /// <summary>The conversation's open work and state, read from the table (not through the writer).</summary>
    Task<ConversationSnapshot> LoadAsync(string botId, string userNumber);

    /// <summary>Writes a turn (see <see cref="TurnRecord"/>); returns its pending parts, or null if its messages were no longer in the inbox.</summary>
    Task<IReadOnlyList<PendingPart>?> CommitTurnAsync(TurnRecord turn);

    /// <summary>
    /// Queues a message of the business (see <see cref="OutboundRequest"/>) as pending outbound rows naming who sent it,
    /// behind what the outbox already holds; returns them, or why none was queued (opted out, or free text outside the
    /// 24-hour window), with when the user last wrote. In human mode it marks the operator active.
    /// </summary>
    Task<OutboundResult> AddOutboundAsync(string botId, string userNumber, OutboundRequest request);

    /// <summary>
    /// Claims the send of a pending part no write has claimed (see <see cref="PendingPart.SendingSince"/>); false when
    /// it is no longer pending or was claimed before.
    /// </summary>
    Task<bool> ClaimSendAsync(string botId, string userNumber, long partId);

    /// <summary>Records a sent (or failed) part; the last part settles the messages its reply answers; the next part's send is claimed with it.</summary>
    Task<Settlement> RecordPartAsync(PartRecord part);

    /// <summary>Which of these Twilio SIDs the conversation's messages already carry.</summary>
    Task<IReadOnlySet<string>> RecordedSidsAsync(string botId, string userNumber, IReadOnlyList<string> sids);

    /// <summary>
    /// Puts the conversation in human mode, or keeps it there as it is (an earlier handoff stands); returns its
    /// handoff as committed. The user's messages are then held (<see cref="SettleAsync"/>), not answered.
    /// </summary>
    Task<HumanMode> TakeOverAsync(string botId, string userNumber, HumanMode handoff);

    /// <summary>
    /// Gives the conversation back to the bot. With <paramref name="answerHeld"/> the messages held since the handoff
    /// return to the inbox; with <paramref name="idleBefore"/>, only when no operator wrote since then (auto-resume).
    /// Returns how many messages returned to the inbox, or null when nothing changed (not in human mode, or not idle).
    /// </summary>
    Task<int?> ResumeAsync(string botId, string userNumber, bool answerHeld, DateTimeOffset? idleBefore);

    /// <summary>The bot's webhook heard of the handoff made at <paramref name="since"/> (or gave up trying).</summary>
    Task HandoffNoticeDoneAsync(string botId, string userNumber, DateTimeOffset since);

    /// <summary>Settles inbox messages without a reply (the bot was disabled or removed); returns how many it settled.</summary>
    Task<int> SettleAsync(string botId, string userNumber, IReadOnlyCollection<long> messageIds, string status, string errorCode, string errorMessage);

    /// <summary>
    /// Erases the conversation: every message, the calls of tools made in it, its state and what retention kept of it
    /// for the conversation list; only an opt-out stays. What they counted stays in the bot's usage report. Returns
    /// the OpenAI conversation the state named, for the caller to delete upstream.
    /// </summary>
    Task<ErasedConversation> EraseAsync(string botId, string userNumber);

    /// <summary>
    /// Conversations of one sweep shard with rows unsettled since before <paramref name="before"/>, oldest first, and
    /// those in human mode whose bot's idle time has passed at <paramref name="now"/> or whose handoff notice is unsent.
    /// </summary>
    Task<IReadOnlyList<PendingConversation>> FindPendingAsync(int shard, int shards, DateTimeOffset before, DateTimeOffset now, int limit);

    /// <summary>Every user the bot keeps anything of, messages or not (what a purge erases).</summary>
    Task<IReadOnlyList<string>> ListUsersAsync(string botId);
}
