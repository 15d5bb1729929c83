using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage.Messages;
using HorizonAI.Storage;
using HorizonAI.Storage.GroupCommit;
using HorizonAI.Storage.Messages;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace HorizonAI.Grains.Storage;

/// <summary>
/// The messages table in PostgreSQL. Each operation is one statement in its own file under <c>Messages/</c>, in the
/// order of a message's life (see <c>Grains/README.md</c>): writes join a flush of the silo's
/// <see cref="GroupCommitWriter"/>, reads go straight to the pool. Every time a statement writes or compares is the
/// application's clock (<see cref="TimeProvider"/>), passed as a parameter, never SQL's <c>now()</c>.
/// </summary>
public sealed class PostgresMessageStore(GroupCommitWriter writer, [FromKeyedServices(MessageDataSource.Key)] NpgsqlDataSource dataSource, TimeProvider time) : IMessageStore
{
    public Task<AcceptedRow> AcceptAsync(InboundMessage message, string status) => writer.WriteAsync(new AcceptInbound(message, status));

    private readonly ReadOpenWork _openWork = new(dataSource);

    public Task<ConversationSnapshot> LoadAsync(string botId, string userNumber) => _openWork.ReadAsync(botId, userNumber);

    public Task<IReadOnlyList<PendingPart>?> CommitTurnAsync(TurnRecord turn) => writer.WriteAsync(new ClaimTurn(turn, Now()));

    public Task<OutboundResult> AddOutboundAsync(string botId, string userNumber, OutboundRequest request) =>
        writer.WriteAsync(new QueueOutbound(botId, userNumber, request, Now()));

    public Task<bool> ClaimSendAsync(string botId, string userNumber, long partId) => writer.WriteAsync(new ClaimSend(botId, userNumber, partId, Now()));

    public Task<Settlement> RecordPartAsync(PartRecord part) => writer.WriteAsync(new RecordPart(part, Now()));

    public Task<IReadOnlySet<string>> RecordedSidsAsync(string botId, string userNumber, IReadOnlyList<string> sids) =>
        FindRecordedSids.ReadAsync(dataSource, botId, userNumber, sids);

    public Task<int> SettleAsync(string botId, string userNumber, IReadOnlyCollection<long> messageIds, string status, string errorCode, string errorMessage) =>
        writer.WriteAsync(new SettleInbox(botId, userNumber, messageIds, status, errorCode, errorMessage, Now()));

    public Task<HumanMode> TakeOverAsync(string botId, string userNumber, HumanMode handoff) => writer.WriteAsync(new TakeOver(botId, userNumber, handoff, Now()));

    public Task<int?> ResumeAsync(string botId, string userNumber, bool answerHeld, DateTimeOffset? idleBefore) =>
        writer.WriteAsync(new Resume(botId, userNumber, answerHeld, idleBefore, Now()));

    public Task HandoffNoticeDoneAsync(string botId, string userNumber, DateTimeOffset since) => writer.WriteAsync(new HandoffNoticeDone(botId, userNumber, since));

    public Task<ErasedConversation> EraseAsync(string botId, string userNumber) => writer.WriteAsync(new EraseConversation(botId, userNumber, Now()));

    public Task<IReadOnlyList<PendingConversation>> FindPendingAsync(int shard, int shards, DateTimeOffset before, DateTimeOffset now, int limit) =>
        SweepPending.FindAsync(dataSource, shard, shards, before, now, limit);

    public Task<IReadOnlyList<string>> ListUsersAsync(string botId) => ListConversationUsers.ReadAsync(dataSource, botId);

    private DateTimeOffset Now() => PostgresTime.Now(time);
}
