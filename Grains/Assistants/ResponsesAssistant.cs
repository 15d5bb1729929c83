using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Tools;
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

    /// <summary>Pieces of the bot's documents one hosted search gives the model.</summary>
    private const int FileSearchResults = 8;

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

    /// <summary>
    /// One turn: the user's messages (after the output owed to an earlier <c>request_human</c> call), then, while the
    /// model calls the business's tools, their outputs, until it answers. A turn that an earlier attempt left in the
    /// middle of its calls starts from their outputs (the conversation has the messages and the calls already).
    /// </summary>
    public async Task<AssistantReply> ReplyAsync(AssistantRequest request, CancellationToken cancellationToken)
    {
        var tools = request.Tools;
        var options = NewOptions(request, offerTools: true);
        if (tools is { Resuming: true })
        {
            var rounds = await tools.ResumeAsync(cancellationToken);
            foreach (var (call, output) in rounds[^1].Calls)
            {
                options.InputItems.Add(ResponseItem.CreateFunctionCallOutputItem(call.CallId, output));
            }
            AddUserMessages(options, request.UserMessages.Where(m => m.MessageId > tools.ResumedThrough));
        }
        else
        {
            if (request.PendingCallId is { } callId)
            {
                options.InputItems.Add(ResponseItem.CreateFunctionCallOutputItem(callId, HandoffTool.Output));
            }

            AddUserMessages(options, request.UserMessages);
        }

        var usage = new TokenTally();
        var fileSearches = 0;
        var cited = new List<(string FileId, string? FileName)>();
        string? handoffReason = null;
        for (var round = 1; ; round++)
        {
            var result = await CreateAsync(request, options, cancellationToken);
            usage.Add(result.Usage?.InputTokenCount, result.Usage?.OutputTokenCount, result.Usage?.InputTokenDetails?.CachedTokenCount);
            fileSearches += result.OutputItems.OfType<FileSearchCallResponseItem>().Count();
            cited.AddRange(CitedFiles(result));
            var calls = result.OutputItems.OfType<FunctionCallResponseItem>().ToList();
            var handoff = calls.FirstOrDefault(c => c.FunctionName == Handoff.ToolName);
            var business = calls.Where(c => c.FunctionName != Handoff.ToolName).ToList();
            if (business.Count == 0 || round > ToolRounds.Max(tools))
            {
                return usage.Reply(result.GetOutputText() ?? "") with
                {
                    FileSearches = fileSearches,
                    CitedFiles = [.. cited.DistinctBy(f => f.FileId)],
                    HandoffReason = handoffReason ?? (handoff is null ? null : HandoffTool.ReadReason(handoff.FunctionArguments)),
                    HandoffCallId = handoffReason is null ? handoff?.CallId : null,
                };
            }

            var outputs = await ToolRounds.RunAsync(tools, [.. business.Select(c => new ModelCall(c.CallId, c.FunctionName, c.FunctionArguments?.ToString() ?? ""))], cancellationToken);
            options = NewOptions(request, offerTools: tools is { Spent: false });
            if (request.ConversationId is null)
            {
                options.PreviousResponseId = result.Id;
            }

            foreach (var output in outputs)
            {
                options.InputItems.Add(ResponseItem.CreateFunctionCallOutputItem(output.CallId, output.Output));
            }
            if (handoff is not null)
            {
                // Asked for a person while calling the business's tools: every call is answered now, the person comes after the answer.
                handoffReason = HandoffTool.ReadReason(handoff.FunctionArguments);
                options.InputItems.Add(ResponseItem.CreateFunctionCallOutputItem(handoff.CallId, HandoffTool.TakeOverOutput));
            }
        }
    }

    /// <summary>A request of this turn: the bot's model, instructions and prompt, and the tools it is offered (or told it may no longer use).</summary>
    private CreateResponseOptions NewOptions(AssistantRequest request, bool offerTools)
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

        if (bot.HandoffTool)
        {
            createOptions.Tools.Add(ResponseTool.CreateFunctionTool(Handoff.ToolName, HandoffTool.Parameters, strictModeEnabled: true, Handoff.ToolDescription));
        }

        foreach (var tool in request.Tools?.Offered ?? [])
        {
            createOptions.Tools.Add(ResponseTool.CreateFunctionTool(tool.Name, tool.Parameters, strictModeEnabled: false, tool.Description));
        }

        if (request.FileSearchStores.Count > 0)
        {
            createOptions.Tools.Add(ResponseTool.CreateFileSearchTool(request.FileSearchStores, maxResultCount: FileSearchResults));
        }

        if (!offerTools && createOptions.Tools.Count > 0)
        {
            createOptions.ToolChoice = ResponseToolChoice.CreateNoneChoice();
        }

        if (AssistantKind.IsPrompt(bot.AssistantId))
        {
            // The SDK has no typed Prompt property yet; the JSON patch puts the reference into the request body.
            createOptions.Patch.Set("$.prompt"u8, BinaryData.FromObjectAsJson(new { id = bot.AssistantId }));
        }

        return createOptions;
    }

    /// <summary>The files the response's text cites (<c>file_citation</c> annotations).</summary>
    private static IEnumerable<(string FileId, string? FileName)> CitedFiles(ResponseResult result) =>
        result.OutputItems.OfType<MessageResponseItem>()
            .SelectMany(m => m.Content)
            .SelectMany(c => c.OutputTextAnnotations ?? [])
            .OfType<FileCitationMessageAnnotation>()
            .Select(a => (a.FileId, (string?)a.Filename));

    private static void AddUserMessages(CreateResponseOptions createOptions, IEnumerable<UserInput> messages)
    {
        foreach (var message in messages)
        {
            createOptions.InputItems.Add(message.Attachments.Count == 0
                ? ResponseItem.CreateUserMessageItem(message.Text)
                : ResponseItem.CreateUserMessageItem(Parts(message)));
        }
    }

    private async Task<ResponseResult> CreateAsync(AssistantRequest request, CreateResponseOptions createOptions, CancellationToken cancellationToken)
    {
        try
        {
            return (await responses.CreateResponseAsync(createOptions, cancellationToken)).Value;
        }
        catch (ClientResultException ex) when (request.ConversationId is not null && IsConversationNotFound(ex))
        {
            throw new AssistantConversationLostException(request.ConversationId, ex);
        }
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
