namespace HorizonAI.Grains.Storage;

/// <summary>The outcome of storing an inbound message.</summary>
/// <param name="Inserted">True when this call wrote the row; false when its MessageSid was already stored.</param>
/// <param name="Id">The row's id (null only if the existing row could not be read back).</param>
/// <param name="Status">The row's status now.</param>
/// <param name="Conversation">The conversation's open work, read in the same transaction, when it was asked for.</param>
public sealed record AcceptResult(bool Inserted, long? Id, string? Status, ConversationSnapshot? Conversation);
