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

        // A stored message belongs to the bot whose id its row carries (the number may have changed hands since); the
        // configuration goes with it when it is that bot's, and the conversation decides (a disabled bot answers nothing).
        var botId = message.StoredId is not null && message.BotId is { } storedFor ? storedFor : bot.Id!;
        var conversation = GrainFactory.GetGrain<IConversationGrain>(ConversationKey.For(Number, botId, message.UserNumber));
        return await conversation.EnqueueAsync(message with { BotId = botId, Bot = botId == bot.Id ? bot : null });
    }

    public Task<BotDefinition?> GetAsync() => Task.FromResult(_bot);

    public Task<BotWriteResult> SaveAsync(BotDefinition bot, BotWriteMode mode) => SaveAsync(bot, mode, BotWriteConditions.None);

    public async Task<BotWriteResult> SaveAsync(BotDefinition bot, BotWriteMode mode, BotWriteConditions conditions)
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

            // A new bot gets a new id; a restore keeps the one it carries (its data re-attaches if it was deleted here).
            var created = bot with { Id = bot.Id ?? BotIds.New(), CreatedAt = now, UpdatedAt = now, Version = NextVersion(null, now) };
            switch (await store.InsertAsync(created))
            {
                case BotInsertOutcome.IdTaken:
                    LogIdRefused(Number, created.Id);
                    return new BotWriteResult(BotWriteOutcome.IdConflict, null);
                case BotInsertOutcome.VectorStoreTaken:
                    return new BotWriteResult(BotWriteOutcome.VectorStoreTaken, null);
                case BotInsertOutcome.NumberTaken:
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

        if (bot.Id is not null && bot.Id != _bot.Id)
        {
            // Another bot's id (e.g. a backup of the number's previous client): its data stays where it is.
            LogIdRefused(Number, bot.Id);
            return new BotWriteResult(BotWriteOutcome.IdConflict, _bot);
        }

        // Checked here, in the turn that writes: no other save can come between the check and the write.
        if (conditions.IfVersion is { } read && read != _bot.Version)
        {
            return new BotWriteResult(BotWriteOutcome.Changed, _bot);
        }

        if (conditions.KeepsAgencyFields
            && (_bot.Enabled != bot.Enabled || !_bot.Metadata.OrderBy(m => m.Key).SequenceEqual(bot.Metadata.OrderBy(m => m.Key))
                || !_bot.VectorStoreIds.SequenceEqual(bot.VectorStoreIds)))
        {
            return new BotWriteResult(BotWriteOutcome.AgencyFields, _bot);
        }

        var updated = bot with { Id = _bot.Id, CreatedAt = _bot.CreatedAt, UpdatedAt = now, Version = NextVersion(_bot, now) };
        if (await store.UpdateAsync(updated) == BotUpdateOutcome.VectorStoreTaken)
        {
            return new BotWriteResult(BotWriteOutcome.VectorStoreTaken, _bot);
        }

        _bot = updated;
        LogSaved(Number, "updated");
        return new BotWriteResult(BotWriteOutcome.Updated, updated);
    }

    /// <summary>
    /// The next save's number: past the current one, and past any the bot's id had before (a restore of a deleted bot
    /// must overtake the configuration its conversations last saw), so the time in microseconds when that is larger.
    /// </summary>
    private static long NextVersion(BotDefinition? current, DateTimeOffset now) =>
        Math.Max((current?.Version ?? 0) + 1, (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);

    public async Task<bool> DeleteAsync(bool purge)
    {
        var deleted = await store.DeleteAsync(Number);
        _bot = null;
        if (deleted is null)
        {
            return false;
        }

        // Keys cache their scope: those that had this bot read theirs again, so that a restore grants nothing back.
        await Task.WhenAll(deleted.UnscopedKeys.Select(key => GrainFactory.GetGrain<IApiKeyGrain>(key).ReloadAsync()));
        if (purge)
        {
            // Every user is tried: one that fails (its conversation's silo going away, the database blinking) is logged and
            // the purge goes on with the others.
            var users = await messages.ListUsersAsync(deleted.Id);
            var failed = 0;
            foreach (var user in users)
            {
                try
                {
                    await GrainFactory.GetGrain<IConversationGrain>(ConversationKey.For(Number, deleted.Id, user)).ResetAsync(user);
                }
                catch (Exception ex)
                {
                    failed++;
                    LogUserPurgeFailed(Number, deleted.Id, PhoneMask.Mask(user), ex.GetType().Name);
                }
            }

            if (failed > 0)
            {
                LogPurgeIncomplete(Number, deleted.Id, failed, users.Count);
            }

            // Its knowledge goes too, upstream first (best effort, each failure logged by the knowledge grain).
            try
            {
                await GrainFactory.GetGrain<IKnowledgeGrain>(deleted.Id).PurgeAsync();
            }
            catch (Exception ex)
            {
                // A timeout here does not stop the purge; anything else leaves the rows for a purge or reindex later.
                LogKnowledgePurgeFailed(Number, deleted.Id, ex.GetType().Name);
            }
        }

        LogDeleted(Number, purge);
        return true;
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Bot {BotNumber} activated on silo {Silo} (configured: {Configured})")]
    private partial void LogActivated(string botNumber, string silo, bool configured);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Bot {BotNumber}: no bot has this number; message refused")]
    private partial void LogUnknownBot(string botNumber);


    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "Bot {BotNumber}: the conversation of {User} with deleted bot {BotId} was not erased ({Error})")]
    private partial void LogUserPurgeFailed(string botNumber, string botId, string user, string error);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Error, Message = "Bot {BotNumber}: purge of deleted bot {BotId} left {Failed} of {Users} conversation(s) unerased; their rows stay under that id")]
    private partial void LogPurgeIncomplete(string botNumber, string botId, int failed, int users);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Bot {BotNumber}: the knowledge of deleted bot {BotId} was not purged ({Error})")]
    private partial void LogKnowledgePurgeFailed(string botNumber, string botId, string error);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Bot {BotNumber}: configuration {Change}")]
    private partial void LogSaved(string botNumber, string change);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Bot {BotNumber}: refused id {BotId}: it is another bot's, or was another number's")]
    private partial void LogIdRefused(string botNumber, string? botId);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Bot {BotNumber}: deleted (purge: {Purge})")]
    private partial void LogDeleted(string botNumber, bool purge);
}
