using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Tools;
using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;
using OpenAI.Chat;

namespace HorizonAI.Grains.Assistants;

/// <summary>
/// Chat Completions, for OpenAI-compatible servers without the Responses API (Azure, vLLM, Ollama, LiteLLM). Such
/// servers keep no conversation, so the conversation grain keeps the history and sends it with every turn.
/// </summary>
public sealed class ChatCompletionsAssistant(OpenAI.OpenAIClient openAI, IOptions<OpenAIOptions> options) : IAssistant
{
    public bool KeepsHistoryUpstream => false;

    public Task<string?> StartConversationAsync(BotDefinition bot, string userNumber, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);

    /// <summary>Chat Completions keeps no conversation upstream: the history is in the table, cleared with the messages.</summary>
    public Task ForgetConversationAsync(string conversationId, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// One turn: the instructions, the history we keep and the user's messages, then, while the model calls the
    /// business's tools, its calls and their outputs, until it answers. A turn that an earlier attempt left in the
    /// middle of its calls is rebuilt with those calls (same ids) and their outputs.
    /// </summary>
    public async Task<AssistantReply> ReplyAsync(AssistantRequest request, CancellationToken cancellationToken)
    {
        var bot = request.Bot;
        var tools = request.Tools;
        var messages = new List<ChatMessage>();
        if (!string.IsNullOrWhiteSpace(bot.Instructions))
        {
            messages.Add(new SystemChatMessage(bot.Instructions));
        }

        foreach (var turn in request.History)
        {
            messages.Add(turn.Role == HistoryTurn.Assistant ? new AssistantChatMessage(turn.Text) : new UserChatMessage(turn.Text));
        }

        if (tools is { Resuming: true })
        {
            var through = tools.ResumedThrough;
            messages.AddRange(request.UserMessages.Where(m => m.MessageId <= through).Select(Message));
            foreach (var round in await tools.ResumeAsync(cancellationToken))
            {
                messages.Add(new AssistantChatMessage(round.Calls.Select(c =>
                    ChatToolCall.CreateFunctionToolCall(c.Call.CallId, c.Call.Tool, BinaryData.FromString(c.Call.Arguments.Length == 0 ? "{}" : c.Call.Arguments)))));
                messages.AddRange(round.Calls.Select(c => new ToolChatMessage(c.Call.CallId, c.Output)));
            }

            messages.AddRange(request.UserMessages.Where(m => m.MessageId > through).Select(Message));
        }
        else
        {
            messages.AddRange(request.UserMessages.Select(Message));
        }

        var chat = openAI.GetChatClient(string.IsNullOrWhiteSpace(bot.Model) ? options.Value.Model : bot.Model);
        var usage = new TokenTally();
        string? handoffReason = null;
        for (var round = 1; ; round++)
        {
            var completion = (await chat.CompleteChatAsync(messages, NewOptions(request, offerTools: tools is not { Spent: true }), cancellationToken)).Value;
            usage.Add(completion.Usage?.InputTokenCount, completion.Usage?.OutputTokenCount, completion.Usage?.InputTokenDetails?.CachedTokenCount);
            var handoff = completion.ToolCalls.FirstOrDefault(c => c.FunctionName == Handoff.ToolName);
            var business = completion.ToolCalls.Where(c => c.FunctionName != Handoff.ToolName).ToList();
            if (business.Count == 0 || round > ToolRounds.Max(tools))
            {
                var text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
                // The history we keep is plain text, so the call needs no answer later: the handoff message stands for it.
                return usage.Reply(text) with
                {
                    HandoffReason = handoffReason ?? (handoff is null ? null : HandoffTool.ReadReason(handoff.FunctionArguments)),
                };
            }

            var outputs = await ToolRounds.RunAsync(tools, [.. business.Select(c => new ModelCall(c.Id, c.FunctionName, c.FunctionArguments?.ToString() ?? ""))], cancellationToken);
            messages.Add(new AssistantChatMessage(completion));
            messages.AddRange(outputs.Select(o => new ToolChatMessage(o.CallId, o.Output)));
            if (handoff is not null)
            {
                // Asked for a person while calling the business's tools: every call is answered now, the person comes after the answer.
                handoffReason = HandoffTool.ReadReason(handoff.FunctionArguments);
                messages.Add(new ToolChatMessage(handoff.Id, HandoffTool.TakeOverOutput));
            }
        }
    }

    private static ChatCompletionOptions NewOptions(AssistantRequest request, bool offerTools)
    {
        var completionOptions = new ChatCompletionOptions();
        if (request.Bot.HandoffTool)
        {
            completionOptions.Tools.Add(ChatTool.CreateFunctionTool(Handoff.ToolName, Handoff.ToolDescription, HandoffTool.Parameters));
        }

        foreach (var tool in request.Tools?.Offered ?? [])
        {
            completionOptions.Tools.Add(ChatTool.CreateFunctionTool(tool.Name, tool.Description, tool.Parameters));
        }

        if (!offerTools && completionOptions.Tools.Count > 0)
        {
            completionOptions.ToolChoice = ChatToolChoice.CreateNoneChoice();
        }

        return completionOptions;
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
