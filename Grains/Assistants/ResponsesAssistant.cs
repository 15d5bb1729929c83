using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using HorizonAI.Grains.Interfaces;
using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;
using OpenAI.Conversations;
using OpenAI.Responses;

namespace HorizonAI.Grains.Assistants;

/// <summary>
/// The OpenAI Responses API with one OpenAI Conversation per (bot, end user). Instructions are not carried over
/// between turns, so the bot's instructions go with every request.
/// </summary>
public sealed class ResponsesAssistant(ResponsesClient responses, ConversationClient conversations, IOptions<OpenAIOptions> options) : IAssistant
{
    public bool KeepsHistoryUpstream => true;

    public async Task<string?> StartConversationAsync(BotDefinition bot, string userNumber, CancellationToken cancellationToken)
    {
        var creation = new ConversationCreationOptions();
        creation.Metadata["bot"] = bot.PhoneNumber;
        var result = await conversations.CreateConversationAsync(creation, cancellationToken);
        return result.Value.Id;
    }

    public async Task ForgetConversationAsync(string conversationId, CancellationToken cancellationToken)
    {
        try
        {
            await conversations.DeleteConversationAsync(conversationId, new RequestOptions { CancellationToken = cancellationToken });
        }
        catch (ClientResultException gone) when (gone.Status == 404)
        {
            // Deleted before (by another silo's erasure, or by hand): nothing left to do.
        }
    }

    public async Task<AssistantReply> ReplyAsync(AssistantRequest request, CancellationToken cancellationToken)
    {
        var bot = request.Bot;
        var createOptions = new CreateResponseOptions
        {
            Model = string.IsNullOrWhiteSpace(bot.Model) ? options.Value.Model : bot.Model,
            Instructions = bot.Instructions,
        };
        if (request.ConversationId is not null)
        {
            createOptions.ConversationOptions = new ResponseConversationOptions(request.ConversationId);
        }

        if (request.PendingCallId is { } callId)
        {
            createOptions.InputItems.Add(ResponseItem.CreateFunctionCallOutputItem(callId, HandoffTool.Output));
        }

        if (bot.HandoffTool)
        {
            createOptions.Tools.Add(ResponseTool.CreateFunctionTool(Handoff.ToolName, HandoffTool.Parameters, strictModeEnabled: true, Handoff.ToolDescription));
        }

        foreach (var message in request.UserMessages)
        {
            createOptions.InputItems.Add(message.Attachments.Count == 0
                ? ResponseItem.CreateUserMessageItem(message.Text)
                : ResponseItem.CreateUserMessageItem(Parts(message)));
        }

        if (AssistantKind.IsPrompt(bot.AssistantId))
        {
            // The SDK has no typed Prompt property yet; the JSON patch puts the reference into the request body.
            createOptions.Patch.Set("$.prompt"u8, BinaryData.FromObjectAsJson(new { id = bot.AssistantId }));
        }

        ResponseResult result;
        try
        {
            result = (await responses.CreateResponseAsync(createOptions, cancellationToken)).Value;
        }
        catch (ClientResultException ex) when (request.ConversationId is not null && IsConversationNotFound(ex))
        {
            throw new AssistantConversationLostException(request.ConversationId, ex);
        }

        var usage = result.Usage;
        var handoff = result.OutputItems.OfType<FunctionCallResponseItem>().FirstOrDefault(c => c.FunctionName == Handoff.ToolName);
        return new AssistantReply(
            result.GetOutputText() ?? "",
            usage?.InputTokenCount ?? 0,
            usage?.OutputTokenCount ?? 0,
            usage?.InputTokenDetails?.CachedTokenCount ?? 0)
        {
            HandoffReason = handoff is null ? null : HandoffTool.ReadReason(handoff.FunctionArguments),
            HandoffCallId = handoff?.CallId,
        };
    }

    /// <summary>The text (if any), then each image and document as data (input_image, input_file).</summary>
    private static List<ResponseContentPart> Parts(UserInput message)
    {
        var parts = new List<ResponseContentPart>();
        if (message.Text.Length > 0)
        {
            parts.Add(ResponseContentPart.CreateInputTextPart(message.Text));
        }

        parts.AddRange(message.Attachments.Select(a => a.Kind == AttachmentKind.Image
            // This SDK takes an image's media type from the BinaryData (a string here would be read as the detail level).
            ? ResponseContentPart.CreateInputImagePart(BinaryData.FromBytes(a.Data.ToMemory(), a.ContentType), ResponseImageDetailLevel.Auto)
            : ResponseContentPart.CreateInputFilePart(a.Data, a.ContentType, a.FileName)));
        return parts;
    }

    /// <summary>A 404 about the conversation itself (not, say, about an unknown model or prompt).</summary>
    private static bool IsConversationNotFound(ClientResultException exception)
    {
        if (exception.Status != 404 || exception.GetRawResponse() is not { } response)
        {
            return false;
        }

        try
        {
            using var body = JsonDocument.Parse(response.Content);
            if (!body.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var param = error.TryGetProperty("param", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? "" : "";
            return param == "conversation"
                || (message.StartsWith("Conversation", StringComparison.OrdinalIgnoreCase) && message.Contains("not found", StringComparison.OrdinalIgnoreCase));
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
