namespace HorizonAI.Grains.Knowledge;

/// <summary>A document of a bot with upstream work due: to index (<c>processing</c>) or to remove (deleted).</summary>
/// <param name="OpenAIFileId">The file uploaded for it, once recorded (uploaded again only when this is null).</param>
/// <param name="Attempts">Failed attempts so far (transient failures; polls do not count).</param>
public sealed record DueDocument(
    string Id,
    string Title,
    string? FileName,
    string ContentType,
    string? OpenAIFileId,
    int Attempts,
    bool Deleted);
