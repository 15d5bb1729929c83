using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Telemetry;
using HorizonAI.Storage;
using HorizonAI.Storage.Knowledge;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI.VectorStores;

namespace HorizonAI.Grains.Knowledge;

/// <summary>
/// The upstream index of one bot's knowledge (keyed by the bot's id): its OpenAI vector store, made with its first
/// document, and a file in it for each document. The <c>knowledge_documents</c> table says what is due (documents
/// processing, documents deleted, each with its <c>next_attempt_at</c>); a pass of the grain's timer does one step of
/// each (upload, add to the store, look at its indexing, remove) and writes down the next, so many documents progress
/// together, a poll never holds the grain, and an activation that dies leaves nothing but the table behind: the sweep
/// wakes the grain elsewhere, and it goes on with the file and the store recorded rather than uploading again.
/// </summary>
public sealed partial class KnowledgeGrain(
    KnowledgeIndexStore store,
    KnowledgeUpstream upstream,
    IOptions<KnowledgeIndexOptions> options,
    IOptions<OpenAIOptions> openAI,
    HorizonMetrics metrics,
    TimeProvider time,
    ILogger<KnowledgeGrain> logger) : Grain, IKnowledgeGrain
{
    /// <summary>What documents of a bot whose store was deleted upstream say, until a reindex.</summary>
    public const string StoreLostReason = "the OpenAI vector store was deleted upstream; reindex the bot's knowledge";

    /// <summary>The most documents one pass takes a step with; a pass that takes this many is followed by another at once.</summary>
    private const int PassLimit = 20;

    /// <summary>Best-effort removals (a reindex's, a purge's) in flight at once.</summary>
    private const int RemovalConcurrency = 8;

    private static readonly TimeSpan FirstPoll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(10);

    private IGrainTimer _timer = null!;

    /// <summary>Polls of each document's indexing by this activation (a new one starts polling quickly again).</summary>
    private readonly Dictionary<string, int> _polls = new(StringComparer.Ordinal);

    /// <summary>A reindex's old store and files, removed upstream by the next pass (best effort).</summary>
    private (string? VectorStoreId, IReadOnlyList<string> FileIds)? _leftovers;

    private bool _passing;
    private bool _wokenDuringPass;
    private (string? Name, string? Number)? _bot;

    private string BotId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Not interleaved: a reindex or a purge waits for the pass in progress, and no two passes overlap.
        _timer = this.RegisterGrainTimer(PassAsync, new GrainTimerCreationOptions
        {
            DueTime = Timeout.InfiniteTimeSpan,
            Period = Timeout.InfiniteTimeSpan,
            Interleave = false,
        });
        return Task.CompletedTask;
    }

    public Task WakeAsync()
    {
        if (_passing)
        {
            _wokenDuringPass = true;
        }
        else
        {
            _timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }

        return Task.CompletedTask;
    }

    public async Task StoreLostAsync(string vectorStoreId) => await LoseStoreAsync(vectorStoreId);

    public async Task ReindexAsync()
    {
        // The old store and files are listed before the table forgets them, and removed by the pass that follows; a
        // crash in between leaves them upstream (named in the log).
        var old = await store.ListUpstreamAsync(BotId, deletedToo: true);
        var documents = await store.ResetAsync(BotId, PostgresTime.Now(time));
        _polls.Clear();
        _leftovers = _leftovers is { } earlier
            ? (old.VectorStoreId ?? earlier.VectorStoreId, [.. earlier.FileIds, .. old.FileIds])
            : old;
        LogReindex(await LabelAsync(), documents, old.VectorStoreId ?? "none", old.FileIds.Count);
        _timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    public async Task PurgeAsync()
    {
        var label = await LabelAsync();
        var (vectorStoreId, fileIds) = await store.ListUpstreamAsync(BotId, deletedToo: true);
        var failed = await RemoveUpstreamAsync(label, vectorStoreId, fileIds);
        if (_leftovers is { } leftovers)
        {
            failed += await RemoveUpstreamAsync(label, leftovers.VectorStoreId, leftovers.FileIds);
            _leftovers = null;
        }

        await store.PurgeAsync(BotId);
        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        LogPurged(label, vectorStoreId ?? "none", fileIds.Count, failed);
        DeactivateOnIdle();
    }

    /// <summary>One step for each document due, then the timer set for the next one due.</summary>
    private async Task PassAsync(CancellationToken cancellationToken)
    {
        _passing = true;
        _wokenDuringPass = false;
        var again = false;
        try
        {
            var label = await LabelAsync();
            if (_leftovers is { } leftovers)
            {
                _leftovers = null;
                await RemoveUpstreamAsync(label, leftovers.VectorStoreId, leftovers.FileIds);
            }

            var due = await store.ListDueAsync(BotId, PostgresTime.Now(time), PassLimit, cancellationToken);
            again = due.Count == PassLimit;
            var changed = false;
            foreach (var document in due)
            {
                changed |= await StepAsync(label, document);
            }

            if (changed)
            {
                await RefreshUsageAsync(label);
            }
        }
        catch (Exception ex)
        {
            // The database failed us: the table still says what is due, and the next pass (or the sweep) picks it up.
            LogPassFailed(BotId, ex.GetType().Name, ex.Message);
            _timer.Change(TimeSpan.FromSeconds(options.Value.SweepSeconds), Timeout.InfiniteTimeSpan);
            return;
        }
        finally
        {
            _passing = false;
        }

        await ScheduleNextPassAsync(again || _wokenDuringPass);
    }

    private async Task ScheduleNextPassAsync(bool now)
    {
        if (now)
        {
            _timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            return;
        }

        try
        {
            if (await store.NextDueAsync(BotId) is { } next)
            {
                var delay = next - time.GetUtcNow();
                _timer.Change(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            }
        }
        catch (Exception ex)
        {
            LogPassFailed(BotId, ex.GetType().Name, ex.Message);
            _timer.Change(TimeSpan.FromSeconds(options.Value.SweepSeconds), Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>One step of one document's work; true when it changed what the store holds (its usage is read again).</summary>
    private async Task<bool> StepAsync(string label, DueDocument document)
    {
        try
        {
            return document.Deleted ? await RemoveAsync(label, document) : await IndexAsync(label, document);
        }
        catch (Exception ex) when (ex is not Npgsql.NpgsqlException)
        {
            await FailedAttemptAsync(label, document, UpstreamFailure.From(ex));
            return false;
        }
    }

    /// <summary>
    /// The next step of indexing a document: upload it (its file id recorded before anything else is done with it),
    /// put it in the bot's store (making the store with it when the bot has none, recorded at once), then look at its
    /// indexing until OpenAI says completed (ready) or failed (failed, with OpenAI's reason).
    /// </summary>
    private async Task<bool> IndexAsync(string label, DueDocument document)
    {
        if (openAI.Value.Api == OpenAIOptions.ChatCompletionsApi)
        {
            // An OpenAI-compatible server has no vector stores: its bots search their chunks here, which are ready
            // the moment the document is stored.
            await FinishAsync(label, document, KnowledgeStatus.Ready, null);
            return false;
        }

        var now = PostgresTime.Now(time);
        var bot = await store.GetStoreAsync(BotId);
        if (bot?.LostAt is not null)
        {
            await FinishAsync(label, document, KnowledgeStatus.Failed, StoreLostReason);
            return false;
        }

        var fileId = document.OpenAIFileId;
        var uploaded = false;
        if (fileId is null)
        {
            if (await store.LoadUploadAsync(document.Id) is not { } upload)
            {
                return false;
            }

            fileId = await upstream.UploadAsync(upload);
            await store.RecordFileAsync(document.Id, fileId, now);
            uploaded = true;
            LogUploaded(label, document.Id, fileId, upload.Content.Length);
        }

        if (bot?.VectorStoreId is not { } vectorStoreId)
        {
            var name = (await BotAsync()).Name ?? BotId;
            vectorStoreId = await upstream.CreateStoreAsync(name, BotId, fileId);
            await store.RecordStoreAsync(BotId, vectorStoreId, now);
            LogStoreCreated(label, vectorStoreId);
            await PollLaterAsync(document, null);
            return false;
        }

        VectorStoreFile? file = null;
        TimeSpan? pollAfter = null;
        if (!uploaded)
        {
            (file, pollAfter) = await upstream.GetStoreFileAsync(vectorStoreId, fileId);
        }

        if (file is null)
        {
            // Not in the store yet (just uploaded, or a crash came between the upload and the add).
            var (added, addPollAfter) = await upstream.AddFileAsync(vectorStoreId, fileId);
            if (!added)
            {
                if (await upstream.GetStoreUsageAsync(vectorStoreId) is null)
                {
                    await LoseStoreAsync(vectorStoreId);
                    return false;
                }

                // The store is there, so the file is gone upstream: the next step uploads the document again.
                LogFileGone(label, document.Id, fileId);
                await store.ForgetFileAsync(document.Id, fileId, now);
                return false;
            }

            await PollLaterAsync(document, addPollAfter);
            return false;
        }

        switch (file.Status)
        {
            case VectorStoreFileStatus.Completed:
                _polls.Remove(document.Id);
                await FinishAsync(label, document, KnowledgeStatus.Ready, null);
                return true;
            case VectorStoreFileStatus.Failed:
                _polls.Remove(document.Id);
                await FinishAsync(label, document, KnowledgeStatus.Failed, Reason(file.LastError));
                return true;
            case VectorStoreFileStatus.Cancelled:
                _polls.Remove(document.Id);
                await FinishAsync(label, document, KnowledgeStatus.Failed, "indexing was cancelled upstream; reindex to try again");
                return true;
            default:
                await PollLaterAsync(document, pollAfter);
                return false;
        }
    }

    /// <summary>A deleted document: its file out of the store and deleted upstream (a 404 is done), then its row.</summary>
    private async Task<bool> RemoveAsync(string label, DueDocument document)
    {
        if (document.OpenAIFileId is { } fileId)
        {
            if (await store.GetStoreAsync(BotId) is { VectorStoreId: { } vectorStoreId, LostAt: null })
            {
                await upstream.RemoveFromStoreAsync(vectorStoreId, fileId);
            }

            await upstream.DeleteFileAsync(fileId);
        }

        await store.DeleteDocumentAsync(document.Id);
        _polls.Remove(document.Id);
        metrics.KnowledgeDocument(label, "deleted");
        LogRemoved(label, document.Id, document.OpenAIFileId ?? "none");
        return document.OpenAIFileId is not null;
    }

    /// <summary>
    /// A step that failed upstream. Transient failures (timeouts, 429, 5xx) are tried again with backoff until the
    /// bound; others fail the document at once with the reason. A deletion that cannot be done upstream goes anyway
    /// at the bound, its file named in the log for removal by hand.
    /// </summary>
    private async Task FailedAttemptAsync(string label, DueDocument document, UpstreamFailure failure)
    {
        var attempts = document.Attempts + 1;
        var reason = $"OpenAI {failure.Code}: {failure.Reason}";
        if (failure.IsTransient && attempts < options.Value.MaxAttempts)
        {
            var delay = Backoff(FirstRetry, LongestRetry, attempts - 1);
            LogRetry(label, document.Id, failure.Code, attempts, delay.TotalSeconds);
            await store.ScheduleAsync(document.Id, PostgresTime.Now(time) + delay, attempts, document.Deleted ? null : reason);
            return;
        }

        if (document.Deleted)
        {
            LogRemovalAbandoned(label, document.Id, document.OpenAIFileId ?? "none", failure.Code);
            await store.DeleteDocumentAsync(document.Id);
            return;
        }

        await FinishAsync(label, document, KnowledgeStatus.Failed, failure.IsTransient ? $"{reason} (after {attempts} attempts)" : reason);
    }

    private async Task FinishAsync(string label, DueDocument document, string status, string? error)
    {
        if (!await store.FinishAsync(document.Id, status, error, PostgresTime.Now(time)))
        {
            return;
        }

        if (status == KnowledgeStatus.Ready)
        {
            metrics.KnowledgeDocument(label, "indexed");
            LogIndexed(label, document.Id);
        }
        else
        {
            metrics.KnowledgeDocument(label, "failed");
            LogIndexFailed(label, document.Id, error ?? "");
        }
    }

    /// <summary>Asks again about a document's indexing: when OpenAI says to, or after a delay that doubles up to 30 s.</summary>
    private Task PollLaterAsync(DueDocument document, TimeSpan? pollAfter)
    {
        var polls = _polls.GetValueOrDefault(document.Id);
        _polls[document.Id] = polls + 1;
        var delay = pollAfter is { } asked
            ? TimeSpan.FromMilliseconds(Math.Clamp(asked.TotalMilliseconds, 100, LongestPoll.TotalMilliseconds))
            : Backoff(FirstPoll, LongestPoll, polls);
        return store.ScheduleAsync(document.Id, PostgresTime.Now(time) + delay, 0, null);
    }

    private async Task LoseStoreAsync(string vectorStoreId)
    {
        if (!await store.MarkStoreLostAsync(BotId, vectorStoreId, StoreLostReason, PostgresTime.Now(time)))
        {
            return;
        }

        var label = await LabelAsync();
        metrics.KnowledgeStoreLost(label);
        LogStoreLost(label, vectorStoreId);
    }

    private async Task RefreshUsageAsync(string label)
    {
        if (await store.GetStoreAsync(BotId) is not { VectorStoreId: { } vectorStoreId, LostAt: null })
        {
            return;
        }

        try
        {
            if (await upstream.GetStoreUsageAsync(vectorStoreId) is { } usage)
            {
                await store.RecordUsageAsync(BotId, vectorStoreId, usage, PostgresTime.Now(time));
            }
            else
            {
                await LoseStoreAsync(vectorStoreId);
            }
        }
        catch (Exception ex) when (ex is not Npgsql.NpgsqlException)
        {
            // Read again after the next change; the figure is informative only.
            LogUsageFailed(label, vectorStoreId, UpstreamFailure.From(ex).Code);
        }
    }

    /// <summary>Removes a store and files upstream, best effort (each failure logged with the id to delete by hand); returns the failures.</summary>
    private async Task<int> RemoveUpstreamAsync(string label, string? vectorStoreId, IReadOnlyList<string> fileIds)
    {
        var failed = 0;
        if (vectorStoreId is not null)
        {
            failed += await BestEffortAsync(label, "vector store", vectorStoreId, () => upstream.DeleteStoreAsync(vectorStoreId));
        }

        foreach (var batch in fileIds.Distinct(StringComparer.Ordinal).Chunk(RemovalConcurrency))
        {
            var results = await Task.WhenAll(batch.Select(fileId => BestEffortAsync(label, "file", fileId, () => upstream.DeleteFileAsync(fileId))));
            failed += results.Sum();
        }

        return failed;
    }

    private async Task<int> BestEffortAsync(string label, string what, string id, Func<Task> remove)
    {
        try
        {
            await remove();
            return 0;
        }
        catch (Exception ex)
        {
            LogRemovalFailed(label, what, id, UpstreamFailure.From(ex).Code);
            return 1;
        }
    }

    private async Task<(string? Name, string? Number)> BotAsync() => _bot ??= await store.GetBotAsync(BotId);

    /// <summary>How logs and metrics name the bot: its number, as everywhere else, or its id when the bot is gone.</summary>
    private async Task<string> LabelAsync() => (await BotAsync()).Number ?? BotId;

    private static string Reason(VectorStoreFileError? error) => error is null
        ? "indexing failed upstream"
        : string.IsNullOrWhiteSpace(error.Message) ? $"indexing failed upstream ({error.Code})" : error.Message;

    private static TimeSpan Backoff(TimeSpan first, TimeSpan longest, int step) =>
        TimeSpan.FromTicks(Math.Min(longest.Ticks, first.Ticks * (1L << Math.Min(step, 20))));

    [LoggerMessage(EventId = 2300, Level = LogLevel.Information, Message = "Bot {BotNumber}: knowledge document {DocumentId} uploaded as {FileId} ({Bytes} bytes)")]
    private partial void LogUploaded(string botNumber, string documentId, string fileId, int bytes);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Information, Message = "Bot {BotNumber}: knowledge vector store {VectorStoreId} created")]
    private partial void LogStoreCreated(string botNumber, string vectorStoreId);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Information, Message = "Bot {BotNumber}: knowledge document {DocumentId} indexed (ready)")]
    private partial void LogIndexed(string botNumber, string documentId);

    [LoggerMessage(EventId = 2303, Level = LogLevel.Warning, Message = "Bot {BotNumber}: knowledge document {DocumentId} failed: {Reason}")]
    private partial void LogIndexFailed(string botNumber, string documentId, string reason);

    [LoggerMessage(EventId = 2304, Level = LogLevel.Warning, Message = "Bot {BotNumber}: knowledge document {DocumentId} attempt {Attempt} failed ({Code}); trying again in {DelaySeconds:F0} s")]
    private partial void LogRetry(string botNumber, string documentId, string code, int attempt, double delaySeconds);

    [LoggerMessage(EventId = 2305, Level = LogLevel.Information, Message = "Bot {BotNumber}: deleted knowledge document {DocumentId} removed (file {FileId})")]
    private partial void LogRemoved(string botNumber, string documentId, string fileId);

    [LoggerMessage(EventId = 2306, Level = LogLevel.Warning, Message = "Bot {BotNumber}: deleted knowledge document {DocumentId} could not be removed upstream ({Code}); its row goes, delete file {FileId} by hand")]
    private partial void LogRemovalAbandoned(string botNumber, string documentId, string fileId, string code);

    [LoggerMessage(EventId = 2307, Level = LogLevel.Warning, Message = "Bot {BotNumber}: knowledge vector store {VectorStoreId} was deleted upstream; it is left out of turns until the bot's knowledge is reindexed")]
    private partial void LogStoreLost(string botNumber, string vectorStoreId);

    [LoggerMessage(EventId = 2308, Level = LogLevel.Warning, Message = "Bot {BotNumber}: file {FileId} of knowledge document {DocumentId} is gone upstream; uploading it again")]
    private partial void LogFileGone(string botNumber, string documentId, string fileId);

    [LoggerMessage(EventId = 2309, Level = LogLevel.Information, Message = "Bot {BotNumber}: knowledge reindex of {Documents} document(s); old vector store {VectorStoreId} and {Files} file(s) removed upstream next")]
    private partial void LogReindex(string botNumber, int documents, string vectorStoreId, int files);

    [LoggerMessage(EventId = 2310, Level = LogLevel.Information, Message = "Bot {BotNumber}: knowledge purged (vector store {VectorStoreId}, {Files} file(s); {Failed} upstream removal(s) failed)")]
    private partial void LogPurged(string botNumber, string vectorStoreId, int files, int failed);

    [LoggerMessage(EventId = 2311, Level = LogLevel.Warning, Message = "Bot {BotNumber}: knowledge {What} {Id} could not be deleted upstream ({Code}); delete it by hand")]
    private partial void LogRemovalFailed(string botNumber, string what, string id, string code);

    [LoggerMessage(EventId = 2312, Level = LogLevel.Warning, Message = "Knowledge of bot {BotId}: pass failed ({Error}: {Message}); trying again later")]
    private partial void LogPassFailed(string botId, string error, string message);

    [LoggerMessage(EventId = 2313, Level = LogLevel.Debug, Message = "Bot {BotNumber}: usage of knowledge vector store {VectorStoreId} not read ({Code})")]
    private partial void LogUsageFailed(string botNumber, string vectorStoreId, string code);
}
