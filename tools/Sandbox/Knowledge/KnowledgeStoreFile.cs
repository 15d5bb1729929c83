namespace HorizonAI.Sandbox.Knowledge;

/// <summary>A file in a vector store, as <c>GET /v1/vector_stores/{id}/files/{file_id}</c> shows it.</summary>
/// <param name="FileId">The file's id (a vector-store file has the id of its file).</param>
/// <param name="VectorStoreId">The store's id.</param>
/// <param name="Status"><c>in_progress</c>, <c>completed</c> or <c>failed</c>.</param>
/// <param name="UsageBytes">The file's bytes once completed; 0 before and when failed.</param>
/// <param name="LastErrorMessage">Why it failed (the error's code is <c>server_error</c>); null otherwise.</param>
/// <param name="CreatedAt">When it was added to the store.</param>
public sealed record KnowledgeStoreFile(
    string FileId, string VectorStoreId, string Status, long UsageBytes, string? LastErrorMessage, DateTimeOffset CreatedAt)
{
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string ErrorCode = "server_error";
}
