using HorizonAI.Grains.Interfaces;
using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;
using OpenAI.Chat;

namespace HorizonAI.Grains.Assistants;

/// <summary>
/// Chat Completions, for OpenAI-compatible servers without the Responses API (Azure, vLLM, Ollama, LiteLLM). Such
/// servers keep no conversation, so the conversation grain keeps the history and sends it with every turn.
/// </summary>
public sealed class ChatCompletionsAssistant(OpenAI.OpenAIClient client, IOptions<OpenAIOptions> options) : IAssistant
{
    public bool KeepsHistoryUpstream => false;

    public Task<string?> StartConversationAsync(BotDefinition bot, string userNumber, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);

    /// <summary>Chat Completions keeps no conversation upstream: the history is in the table, cleared with the messages.</summary>
    public Task ForgetConversationAsync(string conversationId, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<AssistantReply> ReplyAsync(AssistantRequest request, CancellationToken cancellationToken)
    {
        var bot = request.Bot;
        var messages = new List<ChatMessage>();
        if (!string.IsNullOrWhiteSpace(bot.Instructions))
        {
            messages.Add(new SystemChatMessage(bot.Instructions));
        }

        foreach (var turn in request.History)
        {
            messages.Add(turn.Role == HistoryTurn.Assistant ? new AssistantChatMessage(turn.Text) : new UserChatMessage(turn.Text));
        }

        messages.AddRange(request.UserMessages.Select(Message));
        var model = string.IsNullOrWhiteSpace(bot.Model) ? options.Value.Model : bot.Model;
        var completionOptions = new ChatCompletionOptions();
        if (bot.HandoffTool)
        {
            completionOptions.Tools.Add(ChatTool.CreateFunctionTool(Handoff.ToolName, Handoff.ToolDescription, HandoffTool.Parameters));
        }

        var completion = (await client.GetChatClient(model).CompleteChatAsync(messages, completionOptions, cancellationToken)).Value;
        var text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
        // The history we keep is plain text, so the call needs no answer later: the handoff message stands for it.
        var handoff = completion.ToolCalls.FirstOrDefault(c => c.FunctionName == Handoff.ToolName);
        return new AssistantReply(
            text,
            completion.Usage?.InputTokenCount ?? 0,
            completion.Usage?.OutputTokenCount ?? 0,
            completion.Usage?.InputTokenDetails?.CachedTokenCount ?? 0)
        {
            HandoffReason = handoff is null ? null : HandoffTool.ReadReason(handoff.FunctionArguments),
        };
    }

    /// <summary>Text alone, or the text and each image and document as content parts (for servers that accept them).</summary>
    private static UserChatMessage Message(UserInput message)
    {
        if (message.Attachments.Count == 0)
        {
            return new UserChatMessage(message.Text);
        }

        var parts = new List<ChatMessageContentPart>();
        if (message.Text.Length > 0)
        {
            parts.Add(ChatMessageContentPart.CreateTextPart(message.Text));
        }

        parts.AddRange(message.Attachments.Select(a => a.Kind == AttachmentKind.Image
            ? ChatMessageContentPart.CreateImagePart(a.Data, a.ContentType)
            : ChatMessageContentPart.CreateFilePart(a.Data, a.ContentType, a.FileName)));
        return new UserChatMessage(parts);
    }
}
