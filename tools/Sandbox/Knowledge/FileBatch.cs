namespace HorizonAI.Sandbox.Knowledge;

/// <summary>A vector-store file batch: the files it added to its store, whose states it reports.</summary>
internal sealed record FileBatch(string StoreId, IReadOnlyList<string> FileIds, DateTimeOffset CreatedAt);
