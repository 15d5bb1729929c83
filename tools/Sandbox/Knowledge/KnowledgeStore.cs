namespace HorizonAI.Sandbox.Knowledge;

/// <summary>A vector store made through <c>POST /v1/vector_stores</c>.</summary>
/// <param name="Id">Its <c>vs_…</c> id.</param>
/// <param name="Name">The <c>name</c> it was given.</param>
/// <param name="Metadata">The <c>metadata</c> it was given (empty when none).</param>
/// <param name="Files">Its files, in the order they were added (removed ones are gone).</param>
/// <param name="CreatedAt">When it was made.</param>
public sealed record KnowledgeStore(
    string Id,
    string? Name,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<KnowledgeStoreFile> Files,
    DateTimeOffset CreatedAt)
{
    /// <summary>Deleted, through the API or behind the caller's back (<see cref="SandboxKnowledge.DeleteStore"/>).</summary>
    public bool Deleted { get; init; }

    /// <summary>The ids of its files, in the order they were added.</summary>
    public IReadOnlyList<string> FileIds => [.. Files.Select(file => file.FileId)];

    /// <summary><c>in_progress</c> while a file is; <c>completed</c> otherwise (also when empty).</summary>
    public string Status => Files.Any(file => file.Status == KnowledgeStoreFile.InProgress) ? "in_progress" : "completed";

    /// <summary>The bytes of its completed files.</summary>
    public long UsageBytes => Files.Sum(file => file.UsageBytes);
}
