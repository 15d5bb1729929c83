using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Grains.Assistants;

/// <summary>Runs one assistant turn for one end user of one bot.</summary>
public interface IAssistant
{
    /// <summary>Whether the upstream keeps the conversation (Responses + Conversations); otherwise we send the history.</summary>
    bool KeepsHistoryUpstream { get; }

    /// <summary>Creates the upstream conversation that keeps this user's history, or null when we keep it ourselves.</summary>
    Task<string?> StartConversationAsync(BotDefinition bot, string userNumber, CancellationToken cancellationToken);

    Task<AssistantReply> ReplyAsync(AssistantRequest request, CancellationToken cancellationToken);

    /// <summary>Deletes an upstream conversation (retention erased every message of it); one that is gone already counts as deleted.</summary>
    Task ForgetConversationAsync(string conversationId, CancellationToken cancellationToken);
}
