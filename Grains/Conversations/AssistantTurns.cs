using System.ClientModel;
using HorizonAI.Grains.Assistants;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Knowledge;
using HorizonAI.Grains.Media;
using HorizonAI.Grains.Messaging;
using HorizonAI.Grains.Storage;
using HorizonAI.Grains.Tools;
using HorizonAI.Grains.WhatsApp;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Logging;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HorizonAI.Grains.Conversations;

/// <summary>
/// Runs one assistant turn for a conversation: the messages' media read first (voice notes transcribed, images and
/// PDFs fetched), the assistant conversation made when there is none (or again when OpenAI lost it), the typing
/// indicator alongside, the reply split for WhatsApp with its media lines as media messages (after the bot's answer
/// to files it cannot read, if any), and the verdict on a failure: kept for later within the outage patience, else
/// the bot's fallback message. It stores nothing; the conversation grain writes what it returns.
/// </summary>
public sealed partial class AssistantTurns(
    IAssistant assistant,
    MediaReader media,
    IWhatsAppSender sender,
    ToolBox toolBox,
    KnowledgeSearch knowledge,
    IGrainFactory grains,
    IOptions<OpenAIOptions> openAIOptions,
    HorizonMetrics metrics,
    TimeProvider time,
    ILogger<AssistantTurns> logger)
{
    private static readonly TimeSpan TurnTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan TypingRenewal = TimeSpan.FromSeconds(20);

    /// <summary>Whether the assistant keeps the history itself (Responses + Conversations); otherwise the state carries it.</summary>
    public bool KeepsHistoryUpstream => assistant.KeepsHistoryUpstream;

    public async Task<TurnResult> RunAsync(BotDefinition bot, string userNumber, ConversationState state, IReadOnlyList<PendingInbound> batch, CancellationToken cancellationToken)
    {
        var user = PhoneMask.Mask(userNumber);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TurnTimeout);
        var started = time.GetTimestamp();
        ReadBatch? read = null;
        try
        {
            read = await media.ReadAsync(bot, batch, timeout.Token);
            List<ReplyPart> refusal = read.UnreadableAnswer is { } unreadable ? [.. ReplyComposer.Text(unreadable)] : [];
            if (read.Inputs.Count == 0)
            {
                // Nothing in these messages can be read: the bot's answer to that is the whole reply.
                LogTurnCompleted(bot.PhoneNumber, user, batch.Count, refusal.Count, time.GetElapsedTime(started).TotalMilliseconds);
                return new TurnResult(TurnOutcome.Answered, refusal, 0, 0, 0, null, state, read.Readings);
            }

            var userMessages = read.Inputs;
            state = await EnsureAssistantConversationAsync(bot, userNumber, state, timeout.Token);
            var typing = bot.TypingIndicator ? ShowTypingAsync(bot.PhoneNumber, user, batch[^1].MessageSid, timeout.Token) : Task.CompletedTask;
            var typedAt = time.GetTimestamp();
            Task RenewTypingAsync()
            {
                // WhatsApp shows the indicator for about 25 seconds: a wait on the business's tools shows it again.
                if (!bot.TypingIndicator || time.GetElapsedTime(typedAt) < TypingRenewal)
                {
                    return Task.CompletedTask;
                }

                typedAt = time.GetTimestamp();
                return ShowTypingAsync(bot.PhoneNumber, user, batch[^1].MessageSid, timeout.Token);
            }

            // The bot's documents: OpenAI's hosted file_search on the Responses path, search_knowledge through the tool loop on Chat Completions.
            var scope = await knowledge.ScopeAsync(bot, timeout.Token);
            IReadOnlyList<string> stores = assistant.KeepsHistoryUpstream ? scope.VectorStoreIds : [];
            var tools = await toolBox.OpenAsync(bot, new ToolCaller(userNumber, batch[^1].ProfileName), batch[0].Id, batch[^1].Id, RenewTypingAsync,
                searchKnowledge: !assistant.KeepsHistoryUpstream && scope.HasDocuments, timeout.Token);
            Task<AssistantReply> AskAsync() => assistant.ReplyAsync(
                new AssistantRequest(bot, state.AssistantConversationId, userMessages, assistant.KeepsHistoryUpstream ? [] : state.History)
                {
                    PendingCallId = state.PendingCallId,
                    Tools = tools,
                    FileSearchStores = stores,
                },
                timeout.Token);
            AssistantReply answer;
            try
            {
                answer = await AskAsync();
            }
            catch (AssistantConversationLostException lost)
            {
                // Without this the user's every later message would fail the same way; once is enough to try.
                LogAssistantConversationLost(bot.PhoneNumber, user, lost.ConversationId);
                state = await EnsureAssistantConversationAsync(bot, userNumber, state with { AssistantConversationId = null, PendingCallId = null }, timeout.Token);
                answer = await AskAsync();
            }
            catch (ClientResultException missing) when (missing.Status == 404 && stores.FirstOrDefault(id => Names(missing, id)) is { } lost)
            {
                // A vector store gone upstream must not cost the user the answer: marked (the operator reindexes) and left out.
                LogStoreLost(bot.PhoneNumber, user, lost);
                knowledge.Forget(bot);
                if (bot.Id is { } botId && !bot.VectorStoreIds.Contains(lost))
                {
                    await grains.GetGrain<IKnowledgeGrain>(botId).StoreLostAsync(lost);
                }

                stores = [.. stores.Where(id => id != lost)];
                answer = await AskAsync();
            }
            catch (ClientResultException rejected) when (rejected.Status == 400 && tools.Resuming)
            {
                // The conversation does not hold the calls an earlier attempt recorded as that attempt left them (it
                // had answered them already): asked afresh, a call made again is still the recorded one.
                LogResumeRefused(bot.PhoneNumber, user, UpstreamFailure.From(rejected).Reason);
                tools.AskAfresh();
                answer = await AskAsync();
            }
            catch (ClientResultException rejected) when (rejected.Status == 400 && state.PendingCallId is not null)
            {
                // The conversation no longer knows the handoff's call (erased upstream, or answered already): ask without it.
                LogPendingCallRefused(bot.PhoneNumber, user, state.PendingCallId);
                state = state with { PendingCallId = null };
                answer = await AskAsync();
            }
            catch (ClientResultException rejected) when (rejected.Status == 400 && userMessages.Any(m => m.Attachments.Count > 0))
            {
                // An image or file the model will not take (an animated sticker, a damaged file) must not cost the user
                // the answer to the rest: the text alone is asked again, and the reply says what could not be read.
                LogAttachmentsRefused(bot.PhoneNumber, user, UpstreamFailure.From(rejected).Reason);
                userMessages = [.. userMessages.Where(m => m.Text.Length > 0).Select(m => m with { Attachments = [] })];
                refusal = refusal.Count > 0 ? refusal : [.. ReplyComposer.Text(media.UnreadableAnswer(bot))];
                if (userMessages.Count == 0)
                {
                    await typing;
                    return new TurnResult(TurnOutcome.Answered, refusal, 0, 0, 0, null, state, read.Readings);
                }

                answer = await AskAsync();
            }

            await typing;
            state = state with { PendingCallId = answer.HandoffCallId };
            answer = answer with { Text = CitationMarkers.Strip(answer.Text) };
            var used = await KnowledgeUsedAsync(bot, answer, tools, timeout.Token);
            var parts = ReplyComposer.Compose(answer.Text).ToList();
            if (answer.HandoffReason is not null)
            {
                // The assistant hands the user to a person: what it said, then the bot's handoff message.
                parts.AddRange(ReplyComposer.Text(Handoff.HandoffMessage(bot)));
            }

            if (parts.Count == 0)
            {
                return Failed(bot, state, new UpstreamFailure("empty_answer", "the assistant answered with no text")) with { MediaReadings = read.Readings };
            }

            parts.InsertRange(0, refusal);

            var elapsed = time.GetElapsedTime(started);
            metrics.AssistantTurn(bot.PhoneNumber, elapsed, answer.InputTokens, answer.OutputTokens, answer.CachedTokens);
            LogTurnCompleted(bot.PhoneNumber, user, batch.Count, parts.Count, elapsed.TotalMilliseconds);
            if (!assistant.KeepsHistoryUpstream)
            {
                var said = answer.HandoffReason is null ? answer.Text : string.Join("\n\n", new[] { answer.Text, Handoff.HandoffMessage(bot) }.Where(t => t.Length > 0));
                state = state with { History = Remember(state.History, userMessages.Select(m => m.Summary), said) };
            }

            return new TurnResult(TurnOutcome.Answered, parts, answer.InputTokens, answer.OutputTokens, answer.CachedTokens, null, state, read.Readings)
            {
                HandoffReason = answer.HandoffReason,
                Knowledge = used,
            };
        }
        catch (Exception ex) when ((cancellationToken.IsCancellationRequested && ex is OperationCanceledException) || ex is ObjectDisposedException)
        {
            // The silo is going away under this turn (its clients already disposed): not the assistant's failure.
            LogTurnInterrupted(ex, bot.PhoneNumber, user);
            return new TurnResult(TurnOutcome.Interrupted, [], 0, 0, 0, null, state);
        }
        catch (Exception ex)
        {
            var failure = UpstreamFailure.From(ex);
            if (failure.IsTransient && time.GetUtcNow() - batch[0].ReceivedAt < TimeSpan.FromSeconds(openAIOptions.Value.OutagePatienceSeconds))
            {
                LogTurnDeferred(bot.PhoneNumber, user, failure.Code);
                return new TurnResult(TurnOutcome.RetryLater, [], 0, 0, 0, failure, state);
            }

            LogTurnFailed(ex, bot.PhoneNumber, user, failure.Code, failure.Reason);
            return Failed(bot, state, failure) with { MediaReadings = read?.Readings };
        }
    }

    /// <summary>What the turn searched of the bot's documents and which of them the answer used; null when it searched none.</summary>
    private async Task<KnowledgeUse?> KnowledgeUsedAsync(BotDefinition bot, AssistantReply answer, TurnTools tools, CancellationToken cancellationToken)
    {
        if (tools.Knowledge is { Searches: > 0 } searched)
        {
            return new KnowledgeUse(searched.Sources, searched.Searches, 0);
        }

        if (answer.FileSearches == 0 && answer.CitedFiles.Count == 0)
        {
            return null;
        }

        var sources = await knowledge.SourcesOfFilesAsync(bot, answer.CitedFiles, cancellationToken);
        return new KnowledgeUse(sources, answer.FileSearches, answer.FileSearches);
    }

    /// <summary>Whether OpenAI's error is about this vector store (e.g. "Vector store with id 'vs_…' not found.").</summary>
    private static bool Names(ClientResultException exception, string vectorStoreId) =>
        exception.Message.Contains(vectorStoreId, StringComparison.Ordinal)
        || (exception.GetRawResponse()?.Content?.ToString().Contains(vectorStoreId, StringComparison.Ordinal) ?? false);

    private static TurnResult Failed(BotDefinition bot, ConversationState state, UpstreamFailure failure) => new(
        TurnOutcome.Failed,
        string.IsNullOrWhiteSpace(bot.FallbackMessage) ? [] : ReplyComposer.Text(bot.FallbackMessage),
        0, 0, 0, failure, state);

    private async Task<ConversationState> EnsureAssistantConversationAsync(BotDefinition bot, string userNumber, ConversationState state, CancellationToken cancellationToken) =>
        state.AssistantConversationId is null && await assistant.StartConversationAsync(bot, userNumber, cancellationToken) is { } created
            ? state with { AssistantConversationId = created }
            : state;

    /// <summary>Best effort: a failed typing indicator is logged and never holds up the answer.</summary>
    private async Task ShowTypingAsync(string botNumber, string user, string inboundSid, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await sender.SendTypingIndicatorAsync(inboundSid, timeout.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var failure = UpstreamFailure.From(ex);
            LogTypingFailed(botNumber, user, failure.Code, failure.Reason);
        }
    }

    /// <summary>The history we keep with this turn added, the oldest turns dropped beyond the budget.</summary>
    private List<HistoryTurn> Remember(IReadOnlyList<HistoryTurn> earlier, IEnumerable<string> userMessages, string answer)
    {
        var history = new List<HistoryTurn>(earlier);
        history.AddRange(userMessages.Select(text => new HistoryTurn { Role = HistoryTurn.User, Text = text }));
        history.Add(new HistoryTurn { Role = HistoryTurn.Assistant, Text = answer });
        var total = history.Sum(t => t.Text.Length);
        var drop = 0;
        while (drop < history.Count && total > openAIOptions.Value.HistoryMaxChars)
        {
            total -= history[drop++].Text.Length;
        }

        history.RemoveRange(0, drop);
        return history;
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Bot {BotNumber}: answered {Messages} message(s) from {User} in {Parts} part(s) after {ElapsedMs:F0} ms")]
    private partial void LogTurnCompleted(string botNumber, string user, int messages, int parts, double elapsedMs);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Bot {BotNumber}: assistant turn for {User} failed ({Code}: {Reason})")]
    private partial void LogTurnFailed(Exception exception, string botNumber, string user, string code, string reason);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Bot {BotNumber}: typing indicator for {User} failed ({Code}: {Reason}); answering anyway")]
    private partial void LogTypingFailed(string botNumber, string user, string code, string reason);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Bot {BotNumber}: assistant unavailable for {User} ({Code}); keeping the messages to try again")]
    private partial void LogTurnDeferred(string botNumber, string user, string code);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Warning, Message = "Bot {BotNumber}: OpenAI no longer has the conversation {ConversationId} with {User}; continuing on a new one without its history")]
    private partial void LogAssistantConversationLost(string botNumber, string user, string conversationId);

    [LoggerMessage(EventId = 2022, Level = LogLevel.Warning, Message = "Bot {BotNumber}: the assistant refused the images or files of {User} ({Reason}); answering the text alone")]
    private partial void LogAttachmentsRefused(string botNumber, string user, string reason);

    [LoggerMessage(EventId = 2026, Level = LogLevel.Warning, Message = "Bot {BotNumber}: the assistant refused the answer to its handoff call {CallId} with {User}; asking without it")]
    private partial void LogPendingCallRefused(string botNumber, string user, string callId);

    [LoggerMessage(EventId = 2045, Level = LogLevel.Warning, Message = "Bot {BotNumber}: the assistant refused to continue the tool calls recorded for {User} ({Reason}); asking afresh")]
    private partial void LogResumeRefused(string botNumber, string user, string reason);

    [LoggerMessage(EventId = 2046, Level = LogLevel.Warning, Message = "Bot {BotNumber}: OpenAI has no vector store {VectorStoreId} (searched for {User}); answering without it until the knowledge is reindexed")]
    private partial void LogStoreLost(string botNumber, string user, string vectorStoreId);

    [LoggerMessage(EventId = 2015, Level = LogLevel.Warning, Message = "Bot {BotNumber}: assistant turn for {User} interrupted by the silo stopping; the messages stay pending")]
    private partial void LogTurnInterrupted(Exception exception, string botNumber, string user);
}
