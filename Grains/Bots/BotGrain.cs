using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;
using HorizonAI.ServiceDefaults.Logging;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Bots;

/// <summary>
/// One client's bot. Its configuration is persisted in the <c>bots</c> table, of which this grain is the only writer,
/// so the copy it caches is always current. Messages are forwarded to the user's conversation without waiting for
/// anything but the commit of its inbound row there.
/// </summary>
public sealed partial class BotGrain(IBotStore store, IMessageStore messages, TimeProvider time, ILogger<BotGrain> logger) : Grain, IBotGrain
{
    private BotDefinition? _bot;

    private string Number => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _bot = await store.GetAsync(Number, cancellationToken);
        LogActivated(Number, RuntimeIdentity, _bot is not null);
    }

    public async Task<ReceiveOutcome> ReceiveAsync(InboundMessage message)
    {
        var bot = _bot;
        if (bot is null)
        {
            LogUnknownBot(Number);
            return ReceiveOutcome.UnknownBot;
        }

        // Stored by the Gateway already: the conversation decides (a bot disabled since is settled by its pump).
        if (!bot.Enabled && message.StoredId is null)
        {
            var stored = await messages.AcceptAsync(message, MessageStatus.Ignored, loadConversation: false);
            LogDisabled(Number, message.MessageSid, PhoneMask.Mask(message.UserNumber));
            return stored.Inserted ? ReceiveOutcome.RecordedWithoutReply : ReceiveOutcome.Duplicate;
        }

        var conversation = GrainFactory.GetGrain<IConversationGrain>(ConversationKey.For(Number, message.UserNumber));
        return await conversation.EnqueueAsync(message);
    }

    public Task<BotDefinition?> GetAsync() => Task.FromResult(_bot);

    public async Task<BotWriteResult> SaveAsync(BotDefinition bot, BotWriteMode mode)
    {
        if (bot.PhoneNumber != Number)
        {
            throw new ArgumentException($"The bot's number {bot.PhoneNumber} is not this grain's key {Number}.", nameof(bot));
        }

        // PostgreSQL keeps microseconds: truncate so that what we answer equals what a later read returns.
        var now = time.GetUtcNow();
        now = now.AddTicks(-(now.UtcTicks % 10));
        if (_bot is null)
        {
            if (mode == BotWriteMode.Replace)
            {
                return new BotWriteResult(BotWriteOutcome.NotFound, null);
            }

            var created = bot with { CreatedAt = now, UpdatedAt = now };
            if (!await store.InsertAsync(created))
            {
                // Someone wrote the row behind this grain's back (e.g. a restore straight into the table): reload.
                _bot = await store.GetAsync(Number);
                return new BotWriteResult(BotWriteOutcome.AlreadyExists, _bot);
            }

            _bot = created;
            LogSaved(Number, "created");
            return new BotWriteResult(BotWriteOutcome.Created, created);
        }

        if (mode == BotWriteMode.Create)
        {
            return new BotWriteResult(BotWriteOutcome.AlreadyExists, _bot);
        }

        var updated = bot with { CreatedAt = _bot.CreatedAt, UpdatedAt = now };
        await store.UpdateAsync(updated);
        _bot = updated;
        LogSaved(Number, "updated");
        return new BotWriteResult(BotWriteOutcome.Updated, updated);
    }

    public async Task<bool> DeleteAsync(bool purge)
    {
        var existed = await store.DeleteAsync(Number);
        _bot = null;
        if (purge)
        {
            foreach (var user in await messages.ListUsersAsync(Number))
            {
                await GrainFactory.GetGrain<IConversationGrain>(ConversationKey.For(Number, user)).ResetAsync(user);
            }
        }

        LogDeleted(Number, purge);
        return existed;
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Bot {BotNumber} activated on silo {Silo} (configured: {Configured})")]
    private partial void LogActivated(string botNumber, string silo, bool configured);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Bot {BotNumber}: no bot has this number; message refused")]
    private partial void LogUnknownBot(string botNumber);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Bot {BotNumber}: disabled, message {MessageSid} from {User} recorded without reply")]
    private partial void LogDisabled(string botNumber, string messageSid, string user);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Bot {BotNumber}: configuration {Change}")]
    private partial void LogSaved(string botNumber, string change);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Bot {BotNumber}: deleted (purge: {Purge})")]
    private partial void LogDeleted(string botNumber, bool purge);
}
