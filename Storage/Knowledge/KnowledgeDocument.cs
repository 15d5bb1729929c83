namespace HorizonAI.Storage.Knowledge;

/// <summary>The statuses of a document (<c>knowledge_documents.status</c>).</summary>
public static class KnowledgeStatus
{
    /// <summary>Stored and extracted; not yet indexed upstream (its vector-store file not completed).</summary>
    public const string Processing = "processing";

    /// <summary>Indexed: searched by the bot's turns.</summary>
    public const string Ready = "ready";

    /// <summary>Indexing failed; <see cref="KnowledgeDocument.Error"/> says why. A reindex tries again.</summary>
    public const string Failed = "failed";
}

/// <summary>A document of a bot's knowledge as the admin API shows it (without its bytes).</summary>
/// <param name="Id"><c>kd_…</c></param>
/// <param name="TextPreview">The first ~2,000 extracted characters (only when one document is read).</param>
public sealed record KnowledgeDocument(
    string Id,
    string BotId,
    string Title,
    string? FileName,
    string ContentType,
    int Bytes,
    string Status,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? TextPreview = null);
