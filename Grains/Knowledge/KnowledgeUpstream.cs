using System.ClientModel;
using System.Globalization;
using OpenAI;
using OpenAI.Files;
using OpenAI.VectorStores;

namespace HorizonAI.Grains.Knowledge;

/// <summary>
/// The OpenAI Files and Vector Stores calls of the upstream index, on the product's resilient pipeline (transient
/// faults retried there with backoff, inside a bounded total time) with a deadline of their own. A 404 is an answer
/// here, not an error: what it means (the file gone, the store gone, a removal already done) is the caller's to say.
/// </summary>
public sealed class KnowledgeUpstream(OpenAIClient openAI)
{
    /// <summary>The header with which the API says when to ask again about something it is still working on.</summary>
    public const string PollAfterHeader = "openai-poll-after-ms";

    /// <summary>Any one call, its retries included; an upload of the largest document fits.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(3);

    private readonly OpenAIFileClient _files = openAI.GetOpenAIFileClient();
    private readonly VectorStoreClient _stores = openAI.GetVectorStoreClient();

    /// <summary>Uploads a document for file_search (<c>purpose=assistants</c>); returns the file's id.</summary>
    public async Task<string> UploadAsync(DocumentUpload upload)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        using var content = new MemoryStream(upload.Content, writable: false);
        var file = await _files.UploadFileAsync(content, upload.FileName, FileUploadPurpose.Assistants, timeout.Token);
        return file.Value.Id;
    }

    /// <summary>Makes the bot's vector store, named after it, tagged with its id, with its first file in it.</summary>
    public async Task<string> CreateStoreAsync(string name, string botId, string firstFileId)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        var options = new VectorStoreCreationOptions { Name = name };
        options.Metadata["bot"] = botId;
        options.FileIds.Add(firstFileId);
        var store = await _stores.CreateVectorStoreAsync(options, timeout.Token);
        return store.Value.Id;
    }

    /// <summary>The store's usage in bytes; null when the store is gone (404).</summary>
    public async Task<long?> GetStoreUsageAsync(string vectorStoreId)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        try
        {
            var store = await _stores.GetVectorStoreAsync(vectorStoreId, timeout.Token);
            return store.Value.UsageBytes;
        }
        catch (ClientResultException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Adds an uploaded file to the store (its indexing starts); false on a 404 (the store or the file is gone).</summary>
    public async Task<(bool Added, TimeSpan? PollAfter)> AddFileAsync(string vectorStoreId, string fileId)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        try
        {
            var file = await _stores.AddFileToVectorStoreAsync(vectorStoreId, fileId, timeout.Token);
            return (true, PollAfter(file));
        }
        catch (ClientResultException ex) when (ex.Status == 404)
        {
            return (false, null);
        }
    }

    /// <summary>The file's indexing in the store; null on a 404 (not in the store, or the store is gone).</summary>
    public async Task<(VectorStoreFile? File, TimeSpan? PollAfter)> GetStoreFileAsync(string vectorStoreId, string fileId)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        try
        {
            var file = await _stores.GetVectorStoreFileAsync(vectorStoreId, fileId, timeout.Token);
            return (file.Value, PollAfter(file));
        }
        catch (ClientResultException ex) when (ex.Status == 404)
        {
            return (null, null);
        }
    }

    /// <summary>Takes a file out of the store; a 404 (never there, or the store gone) counts as done.</summary>
    public async Task RemoveFromStoreAsync(string vectorStoreId, string fileId)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        try
        {
            await _stores.RemoveFileFromVectorStoreAsync(vectorStoreId, fileId, timeout.Token);
        }
        catch (ClientResultException ex) when (ex.Status == 404)
        {
        }
    }

    /// <summary>Deletes an uploaded file; a 404 counts as done.</summary>
    public async Task DeleteFileAsync(string fileId)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        try
        {
            await _files.DeleteFileAsync(fileId, timeout.Token);
        }
        catch (ClientResultException ex) when (ex.Status == 404)
        {
        }
    }

    /// <summary>Deletes a vector store (not its files); a 404 counts as done.</summary>
    public async Task DeleteStoreAsync(string vectorStoreId)
    {
        using var timeout = new CancellationTokenSource(CallTimeout);
        try
        {
            await _stores.DeleteVectorStoreAsync(vectorStoreId, timeout.Token);
        }
        catch (ClientResultException ex) when (ex.Status == 404)
        {
        }
    }

    private static TimeSpan? PollAfter(ClientResult result) =>
        result.GetRawResponse().Headers.TryGetValue(PollAfterHeader, out var value)
            && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0
            ? TimeSpan.FromMilliseconds(milliseconds)
            : null;
}
