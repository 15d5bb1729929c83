namespace HorizonAI.Grains.Assistants;

/// <summary>
/// The upstream no longer has the conversation we keep for this user (deleted or expired at OpenAI, or a stand-in
/// that restarted). The turn can run again on a new conversation; the old history is gone either way.
/// </summary>
public sealed class AssistantConversationLostException(string conversationId, Exception innerException)
    : Exception($"the upstream conversation {conversationId} no longer exists", innerException)
{
    public string ConversationId { get; } = conversationId;
}
