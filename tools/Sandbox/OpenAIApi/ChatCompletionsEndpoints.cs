using System.Security.Cryptography;
using System.Text.Json.Nodes;
using HorizonAI.Sandbox.Diagnostics;
using HorizonAI.Sandbox.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary><c>POST /v1/chat/completions</c>, non-streaming: the API of OpenAI-compatible servers.</summary>
internal static class ChatCompletionsEndpoints
{
    public static RouteHandlerBuilder MapChatCompletions(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/chat/completions", CompleteChat);

    private static async Task<Results<Ok<JsonObject>, JsonHttpResult<JsonObject>, EmptyHttpResult>> CompleteChat(
        HttpContext context, SandboxState state, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(SandboxLog.OpenAICategory);
        var startedAt = state.Now;
        if (await RequestJson.ReadObjectAsync(context.Request) is not { } body)
        {
            return RequestJson.Unparsable();
        }

        if (body["stream"] is JsonValue stream && stream.TryGetValue<bool>(out var streaming) && streaming)
        {
            return OpenAIErrors.Create(400, "The sandbox does not stream: send stream=false.", OpenAIErrors.InvalidRequest, "stream");
        }

        var model = RequestJson.Text(body["model"]);
        if (model is null)
        {
            return OpenAIErrors.Create(400, "you must provide a model parameter", OpenAIErrors.InvalidRequest, "model");
        }

        if (body["messages"] is not JsonArray { Count: > 0 } messageNodes)
        {
            return OpenAIErrors.Create(400, "Missing required parameter: 'messages'.", OpenAIErrors.InvalidRequest, "messages", "missing_required_parameter");
        }

        if (messageNodes.OfType<JsonObject>().Any(message => RequestJson.Text(message["role"]) == "user" && RequestJson.HasUnreadableImage(message["content"])))
        {
            return ResponsesEndpoints.UnsupportedImage();
        }

        var tools = ChatToolMessages.Read([.. messageNodes.OfType<JsonObject>()]);
        if (tools.Error is { } invalid)
        {
            return OpenAIErrors.Create(400, invalid, OpenAIErrors.InvalidRequest, "messages");
        }

        var messages = messageNodes
            .OfType<JsonObject>()
            .Select(message => new ChatTurn(RequestJson.Text(message["role"]) ?? "", RequestJson.ContentText(message["content"])))
            .ToArray();
        var system = messages.Where(turn => turn.Role is "system" or "developer").Select(turn => turn.Content).ToArray();
        var instructions = system.Length == 0 ? null : string.Join('\n', system);
        var input = messages.LastOrDefault(turn => turn.Role == "user")?.Content ?? "";

        if (await FaultGate.ApplyAsync(state.OpenAI, context, OpenAIErrors.Injected) is { } injected)
        {
            return injected is JsonHttpResult<JsonObject> error ? error : TypedResults.Empty;
        }

        var tags = SandboxTags.Read(input);
        if (tags.FailStatus is { } failStatus)
        {
            return OpenAIErrors.ForStatus(failStatus, "#fail in the input");
        }

        if (tags.SlowMs is { } slowMs && !await FaultGate.DelayAsync(context, TimeSpan.FromMilliseconds(slowMs)))
        {
            return TypedResults.Empty;
        }

        var offered = ToolJson.ChatFunctions(body);
        var toolChoice = ToolJson.ToolChoice(body);
        var latest = tools.LatestOutputs
            .Select(output => (tools.CallNames.GetValueOrDefault(output.CallId) ?? state.CallName(output.CallId) ?? "unknown", output.Output))
            .ToArray();
        var answer = ToolModel.Decide(tags, input, new ToolRequest(offered, toolChoice, latest, tools.OutputsAfterLastUser) { LastUserText = input });
        var calls = ToolJson.Identify(answer.Calls);
        var output = calls.Count > 0 ? "" : answer.Text ?? SandboxAssistant.Reply(instructions, input, tags);
        var request = new AssistantRequest(
            AssistantRequest.ChatCompletionsApi, null, model, instructions, null, input, messages, startedAt, state.Now)
        {
            OutputText = output,
            OfferedTools = offered,
            ToolChoice = toolChoice,
            FunctionCalls = calls,
            ToolOutputs = tools.Outputs,
        };
        var completionId = "chatcmpl-" + RandomNumberGenerator.GetHexString(29, lowercase: true);
        state.RememberCalls(calls);
        state.RecordOpenAIRequest(request, null);
        SandboxLog.AssistantAnswered(logger, request.Api, completionId, null, output.Length);
        if (calls.Count > 0)
        {
            SandboxLog.FunctionsCalled(logger, request.Api, completionId, calls.Count);
        }

        var promptTokens = SandboxAssistant.Tokens(messages.Sum(turn => turn.Content.Length));
        var completionTokens = SandboxAssistant.Tokens(output.Length);
        return TypedResults.Ok(new JsonObject
        {
            ["id"] = completionId,
            ["object"] = "chat.completion",
            ["created"] = startedAt.ToUnixTimeSeconds(),
            ["model"] = model,
            ["choices"] = new JsonArray
            {
                new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = Message(output, calls),
                    ["logprobs"] = null,
                    ["finish_reason"] = calls.Count == 0 ? "stop" : "tool_calls",
                },
            },
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = promptTokens,
                ["completion_tokens"] = completionTokens,
                ["total_tokens"] = promptTokens + completionTokens,
                ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 0, ["audio_tokens"] = 0 },
                ["completion_tokens_details"] = new JsonObject
                {
                    ["reasoning_tokens"] = 0,
                    ["audio_tokens"] = 0,
                    ["accepted_prediction_tokens"] = 0,
                    ["rejected_prediction_tokens"] = 0,
                },
            },
            ["service_tier"] = "default",
            ["system_fingerprint"] = "fp_sandbox",
        });
    }

    private static JsonObject Message(string output, List<FunctionCall> calls)
    {
        var message = new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = calls.Count == 0 ? output : null,
            ["refusal"] = null,
            ["annotations"] = new JsonArray(),
        };
        if (calls.Count > 0)
        {
            message["tool_calls"] = new JsonArray([.. calls.Select(call => new JsonObject
            {
                ["id"] = call.CallId,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments },
            })]);
        }

        return message;
    }
}
