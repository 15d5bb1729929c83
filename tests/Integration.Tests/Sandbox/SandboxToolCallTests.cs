using System.ClientModel;
using System.Text.Json;
using HorizonAI.Sandbox;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Conversations;
using OpenAI.Responses;

namespace HorizonAI.Integration.Tests.Sandbox;

/// <summary>
/// The OpenAI stand-in's function calling, driven through the real OpenAI SDK for both APIs: the tags in the user's
/// text make the calls, a follow-up with the outputs is answered with them, and a missing output is refused as OpenAI
/// refuses it.
/// </summary>
public sealed class SandboxToolCallTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private static readonly BinaryData Schema = BinaryData.FromString("""{"type":"object","properties":{},"additionalProperties":true}""");

    private ResponsesClient Responses => new(new ApiKeyCredential("sk-test"), new ResponsesClientOptions { Endpoint = Endpoint });

    private ConversationClient Conversations => new(new ApiKeyCredential("sk-test"), new ConversationClientOptions { Endpoint = Endpoint });

    private ChatClient Chat => new OpenAIClient(new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = Endpoint }).GetChatClient("gpt-test");

    private Uri Endpoint => new(sandbox.BaseUrl + "/v1");

    [Fact]
    public async Task ResponsesToolTagsGiveParallelCallsInTagOrderAndTheFollowUpAnswersTheirOutputs()
    {
        var conversation = await NewConversationAsync();
        var first = await Responses.CreateResponseAsync(Options(conversation, ["book_table", "check_availability"],
            ResponseItem.CreateUserMessageItem("""mesa? #tool:check_availability{"time":"20:00","people":2} #tool:book_table{"people":2,"time":"20:00"} #tool:not_offered""")));

        var calls = first.Value.OutputItems.OfType<FunctionCallResponseItem>().ToArray();
        Assert.Equal(["check_availability", "book_table"], calls.Select(c => c.FunctionName));
        Assert.Equal("""{"people":2,"time":"20:00"}""", calls[1].FunctionArguments.ToString());
        Assert.All(calls, c => Assert.StartsWith("call_", c.CallId, StringComparison.Ordinal));
        var recorded = sandbox.State.OpenAIRequests.Last(r => r.ConversationId == conversation);
        Assert.Equal(["book_table", "check_availability"], recorded.OfferedTools);
        Assert.Equal(calls.Select(c => c.CallId), recorded.FunctionCalls.Select(c => c.CallId));

        var followUp = await Responses.CreateResponseAsync(Options(conversation, ["book_table", "check_availability"],
            ResponseItem.CreateFunctionCallOutputItem(calls[0].CallId, """{"available":true}"""),
            ResponseItem.CreateFunctionCallOutputItem(calls[1].CallId, """{"booking_id":"BK-1"}""")));

        Assert.Empty(followUp.Value.OutputItems.OfType<FunctionCallResponseItem>());
        Assert.Equal("check_availability → {\"available\":true}\nbook_table → {\"booking_id\":\"BK-1\"}", followUp.Value.GetOutputText());
        var carried = sandbox.State.OpenAIRequests.Last(r => r.ConversationId == conversation).ToolOutputs;
        Assert.Equal([new FunctionOutput(calls[0].CallId, """{"available":true}"""), new FunctionOutput(calls[1].CallId, """{"booking_id":"BK-1"}""")], carried);
    }

    [Fact]
    public async Task AResponsesFollowUpMissingAnOutputIsRefusedAsOpenAIRefusesIt()
    {
        var conversation = await NewConversationAsync();
        var first = await Responses.CreateResponseAsync(Options(conversation, ["a", "b"], ResponseItem.CreateUserMessageItem("#tool:a #tool:b")));
        var calls = first.Value.OutputItems.OfType<FunctionCallResponseItem>().ToArray();
        Assert.Equal(2, calls.Length);

        var refused = await Assert.ThrowsAsync<ClientResultException>(() => Responses.CreateResponseAsync(
            Options(conversation, ["a", "b"], ResponseItem.CreateFunctionCallOutputItem(calls[0].CallId, "done"))));
        Assert.Equal(400, refused.Status);
        Assert.Contains($"No tool output found for function call {calls[1].CallId}.", refused.Message, StringComparison.Ordinal);

        // Answered in full, the turn goes on.
        var answered = await Responses.CreateResponseAsync(Options(conversation, ["a", "b"],
            ResponseItem.CreateFunctionCallOutputItem(calls[0].CallId, "done a"),
            ResponseItem.CreateFunctionCallOutputItem(calls[1].CallId, "done b")));
        Assert.Equal("a → done a\nb → done b", answered.Value.GetOutputText());
    }

    [Fact]
    public async Task ResponsesToolLoopCallsInEveryResponseUntilToolChoiceIsNone()
    {
        var conversation = await NewConversationAsync();
        var response = await Responses.CreateResponseAsync(Options(conversation, ["lookup"], ResponseItem.CreateUserMessageItem("dale #toolloop:lookup")));
        for (var round = 1; round <= 3; round++)
        {
            var call = Assert.Single(response.Value.OutputItems.OfType<FunctionCallResponseItem>());
            Assert.Equal("lookup", call.FunctionName);
            Assert.Equal("{}", call.FunctionArguments.ToString());
            response = await Responses.CreateResponseAsync(Options(conversation, ["lookup"], ResponseItem.CreateFunctionCallOutputItem(call.CallId, $"round {round}")));
        }

        var last = Assert.Single(response.Value.OutputItems.OfType<FunctionCallResponseItem>());
        var options = Options(conversation, ["lookup"], ResponseItem.CreateFunctionCallOutputItem(last.CallId, "round 4"));
        options.ToolChoice = ResponseToolChoice.CreateNoneChoice();
        var final = await Responses.CreateResponseAsync(options);

        Assert.Empty(final.Value.OutputItems.OfType<FunctionCallResponseItem>());
        Assert.Equal("answered without tools after 4 tool outputs", final.Value.GetOutputText());
        Assert.Equal("none", sandbox.State.OpenAIRequests.Last(r => r.ConversationId == conversation).ToolChoice);
    }

    [Fact]
    public async Task AnUnknownToolIsCalledThoughNotOfferedAndAToolTagForAToolNotOfferedIsIgnored()
    {
        var response = await Responses.CreateResponseAsync(Options(null, [], ResponseItem.CreateUserMessageItem("""#unknowntool:from_prompt{"x":1} #tool:book_table""")));

        var call = Assert.Single(response.Value.OutputItems.OfType<FunctionCallResponseItem>());
        Assert.Equal("from_prompt", call.FunctionName);
        Assert.Equal("""{"x":1}""", call.FunctionArguments.ToString());
    }

    [Fact]
    public async Task WithBookTableOfferedATextAboutBookingCallsItWithThePartyAndTimeItNames()
    {
        var tools = new ChatCompletionOptions { Tools = { Tool("check_availability"), Tool("book_table") } };
        var completion = (await Chat.CompleteChatAsync([new UserChatMessage("Hola, quiero reservar para 4 a las 21:30")], tools)).Value;

        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("book_table", call.FunctionName);
        Assert.Equal("""{"people":4,"time":"21:30"}""", call.FunctionArguments.ToString());

        // Without the tool, the same text is answered as any other.
        var plain = (await Chat.CompleteChatAsync([new UserChatMessage("quiero reservar para 4 a las 21:30")])).Value;
        Assert.Contains("you said: quiero reservar", plain.Content[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChatToolTagsGiveToolCallsAndTheFollowUpAnswersTheLatestToolMessages()
    {
        var tools = new ChatCompletionOptions { Tools = { Tool("book_table"), Tool("check_availability") } };
        List<ChatMessage> messages = [new SystemChatMessage("Restaurante"), new UserChatMessage("""reserva #tool:check_availability{"people":4} #tool:book_table{"people":4,"time":"21:00"}""")];

        var first = (await Chat.CompleteChatAsync(messages, tools)).Value;
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        Assert.Equal(["check_availability", "book_table"], first.ToolCalls.Select(c => c.FunctionName));
        Assert.Equal("""{"people":4,"time":"21:00"}""", first.ToolCalls[1].FunctionArguments.ToString());

        messages.Add(new AssistantChatMessage(first.ToolCalls));
        messages.Add(ChatMessage.CreateToolMessage(first.ToolCalls[0].Id, """{"available":true}"""));
        messages.Add(ChatMessage.CreateToolMessage(first.ToolCalls[1].Id, new string('x', 400)));
        var followUp = (await Chat.CompleteChatAsync(messages, tools)).Value;

        Assert.Equal(ChatFinishReason.Stop, followUp.FinishReason);
        Assert.Equal($"check_availability → {{\"available\":true}}\nbook_table → {new string('x', 300)}", followUp.Content[0].Text);
        var recorded = sandbox.State.OpenAIRequests.Last(r => r.Api == AssistantRequest.ChatCompletionsApi && r.ToolOutputs.Count == 2);
        Assert.Equal(first.ToolCalls.Select(c => c.Id), recorded.ToolOutputs.Select(o => o.CallId));
        Assert.Equal(["book_table", "check_availability"], recorded.OfferedTools);
    }

    [Fact]
    public async Task AChatToolCallWithoutItsToolMessageOrAToolMessageWithoutItsCallIsRefused()
    {
        var tools = new ChatCompletionOptions { Tools = { Tool("a"), Tool("b") } };
        List<ChatMessage> messages = [new UserChatMessage("#tool:a #tool:b")];
        var first = (await Chat.CompleteChatAsync(messages, tools)).Value;
        messages.Add(new AssistantChatMessage(first.ToolCalls));
        messages.Add(ChatMessage.CreateToolMessage(first.ToolCalls[0].Id, "done"));

        var missing = await Assert.ThrowsAsync<ClientResultException>(() => Chat.CompleteChatAsync(messages, tools));
        Assert.Equal(400, missing.Status);
        Assert.Contains("An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'.", missing.Message, StringComparison.Ordinal);
        Assert.Contains(first.ToolCalls[1].Id, missing.Message, StringComparison.Ordinal);

        List<ChatMessage> stray = [new UserChatMessage("hola"), ChatMessage.CreateToolMessage("call_nobody", "done")];
        Assert.Equal(400, (await Assert.ThrowsAsync<ClientResultException>(() => Chat.CompleteChatAsync(stray, tools))).Status);
    }

    [Fact]
    public async Task ChatToolLoopCallsUntilToolChoiceIsNoneAndCountsTheTurnsOutputs()
    {
        var tools = new ChatCompletionOptions { Tools = { Tool("lookup") } };
        List<ChatMessage> messages = [new UserChatMessage("#toolloop:lookup")];
        for (var round = 1; round <= 3; round++)
        {
            var completion = (await Chat.CompleteChatAsync(messages, tools)).Value;
            var call = Assert.Single(completion.ToolCalls);
            Assert.Equal("lookup", call.FunctionName);
            messages.Add(new AssistantChatMessage(completion.ToolCalls));
            messages.Add(ChatMessage.CreateToolMessage(call.Id, $"round {round}"));
        }

        var none = new ChatCompletionOptions { Tools = { Tool("lookup") }, ToolChoice = ChatToolChoice.CreateNoneChoice() };
        var final = (await Chat.CompleteChatAsync(messages, none)).Value;
        Assert.Equal("answered without tools after 3 tool outputs", final.Content[0].Text);

        // Offering no tools at all after outputs is the other way of asking for an answer without them.
        var noTools = (await Chat.CompleteChatAsync(messages)).Value;
        Assert.Equal("answered without tools after 3 tool outputs", noTools.Content[0].Text);
    }

    [Fact]
    public async Task TheHandoffTagStillCallsRequestHumanAndItsOutputWithANewUserMessageStartsANewTurn()
    {
        var conversation = await NewConversationAsync();
        var first = await Responses.CreateResponseAsync(Options(conversation, ["request_human"], ResponseItem.CreateUserMessageItem("#handoff:wants a person")));
        var call = Assert.Single(first.Value.OutputItems.OfType<FunctionCallResponseItem>());
        Assert.Equal("request_human", call.FunctionName);
        Assert.Equal("wants a person", JsonDocument.Parse(call.FunctionArguments).RootElement.GetProperty("reason").GetString());

        var next = await Responses.CreateResponseAsync(Options(conversation, ["request_human"],
            ResponseItem.CreateFunctionCallOutputItem(call.CallId, "handed over"), ResponseItem.CreateUserMessageItem("ya está")));
        Assert.Contains("you said: ya está", next.Value.GetOutputText(), StringComparison.Ordinal);
    }

    private async Task<string> NewConversationAsync()
    {
        var created = await Conversations.CreateConversationAsync(new ConversationCreationOptions());
        return created.Value.Id;
    }

    private static CreateResponseOptions Options(string? conversation, string[] tools, params ResponseItem[] input)
    {
        var options = new CreateResponseOptions { Model = "gpt-test" };
        if (conversation is not null)
        {
            options.ConversationOptions = new ResponseConversationOptions(conversation);
        }

        foreach (var tool in tools)
        {
            options.Tools.Add(ResponseTool.CreateFunctionTool(tool, Schema, strictModeEnabled: false, "a test tool"));
        }

        foreach (var item in input)
        {
            options.InputItems.Add(item);
        }

        return options;
    }

    private static ChatTool Tool(string name) => ChatTool.CreateFunctionTool(name, "a test tool", Schema);
}
