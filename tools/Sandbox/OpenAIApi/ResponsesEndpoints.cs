using System.Security.Cryptography;
using System.Text.Json.Nodes;
using HorizonAI.Sandbox.Diagnostics;
using HorizonAI.Sandbox.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary><c>POST /v1/responses</c>, non-streaming, in the wire format of the OpenAI .NET SDK 2.15.0.</summary>
internal static class ResponsesEndpoints
{
    public static RouteHandlerBuilder MapResponses(this IEndpointRouteBuilder routes) =>
        routes.MapPost("/responses", CreateResponse);

    private static async Task<Results<Ok<JsonObject>, JsonHttpResult<JsonObject>, EmptyHttpResult>> CreateResponse(
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

        // The conversation is a string id or an object {"id": …}; the SDK sends the object.
        var conversationId = RequestJson.Text(body["conversation"]) ?? RequestJson.Text(body["conversation"]?["id"]);
        var previousResponseId = RequestJson.Text(body["previous_response_id"]);
        var promptId = RequestJson.Text(body["prompt"]?["id"]);
        var model = RequestJson.Text(body["model"]);
        var input = ResponsesInput.Read(body["input"]);
        var instructions = RequestJson.Text(body["instructions"]) ?? input.DeveloperText;

        if (input.HasUnreadableImage)
        {
            return UnsupportedImage();
        }

        if (conversationId is not null && previousResponseId is not null)
        {
            return OpenAIErrors.Create(400,
                "Mutually exclusive parameters: Ensure you are only providing one of: 'previous_response_id' or 'conversation'.",
                OpenAIErrors.InvalidRequest, code: "mutually_exclusive_parameters");
        }

        if (model is null && promptId is null)
        {
            return OpenAIErrors.Create(400, "Missing required parameter: 'model'.", OpenAIErrors.InvalidRequest, "model", "missing_required_parameter");
        }

        if (conversationId is not null && !state.ConversationExists(conversationId))
        {
            return OpenAIErrors.Create(404, $"Conversation with id '{conversationId}' not found.", OpenAIErrors.InvalidRequest, "conversation");
        }

        if (previousResponseId is not null && !state.ResponseExists(previousResponseId))
        {
            return OpenAIErrors.Create(400, $"Previous response with id '{previousResponseId}' not found.",
                OpenAIErrors.InvalidRequest, "previous_response_id", "previous_response_not_found");
        }

        // OpenAI checks the stores a file_search tool names before anything else: a lost store fails the request.
        var storeIds = ToolJson.FileSearchStoreIds(body);
        if (storeIds?.FirstOrDefault(id => !state.Knowledge.StoreExists(id)) is { } lostStore)
        {
            return OpenAIErrors.Create(404, $"Vector store with id '{lostStore}' not found.", OpenAIErrors.InvalidRequest, "tools");
        }

        // Taken before any delay: a slow turn holds its conversation like a slow real one.
        if (conversationId is not null && !state.TryBeginTurn(conversationId))
        {
            SandboxLog.ConversationLocked(logger, conversationId);
            return OpenAIErrors.Create(400,
                "Another process is currently operating on this conversation. Please retry in a few seconds.",
                OpenAIErrors.InvalidRequest, "conversation", OpenAIErrors.ConversationLocked);
        }

        state.RecordTurnBegun(instructions);
        try
        {
            // As OpenAI does: every call of the conversation's last response must be answered before anything else.
            var memory = conversationId is null ? ToolTurnMemory.None : state.ToolTurn(conversationId);
            if (memory.PendingCalls.FirstOrDefault(owed => !input.CallOutputs.Contains(owed)) is { } owed)
            {
                return OpenAIErrors.Create(400, $"No tool output found for function call {owed}.", OpenAIErrors.InvalidRequest, "input");
            }

            if (await FaultGate.ApplyAsync(state.OpenAI, context, OpenAIErrors.Injected) is { } injected)
            {
                return injected is JsonHttpResult<JsonObject> error ? error : TypedResults.Empty;
            }

            // A follow-up carries only outputs: its tags are those of the user text that started the turn.
            var turnText = input.HasUserMessage ? input.UserText : memory.TurnText;
            var outputsInTurn = input.OutputsAfterLastUser.Count + (input.HasUserMessage ? 0 : memory.OutputsSinceUser);
            var tags = SandboxTags.Read(turnText);
            if (tags.FailStatus is { } failStatus)
            {
                return OpenAIErrors.ForStatus(failStatus, "#fail in the input");
            }

            if (tags.SlowMs is { } slowMs && !await FaultGate.DelayAsync(context, TimeSpan.FromMilliseconds(slowMs)))
            {
                return TypedResults.Empty;
            }

            var offered = ToolJson.ResponsesFunctions(body);
            var toolChoice = ToolJson.ToolChoice(body);
            var latest = input.LatestOutputs
                .Select(output => (input.CallNames.GetValueOrDefault(output.CallId) ?? state.CallName(output.CallId) ?? "unknown", output.Output))
                .ToArray();
            // What the user last asked: this request's words, else those of the turn it follows up.
            var lastUserText = input.HasUserMessage ? input.LastUserText
                : conversationId is not null ? memory.TurnText
                : previousResponseId is not null ? state.UserTextOf(previousResponseId) ?? "" : "";
            var answer = ToolModel.Decide(tags, turnText, new ToolRequest(offered, toolChoice, latest, outputsInTurn) { LastUserText = lastUserText });
            var calls = ToolJson.Identify(answer.Calls);

            // file_search runs where the model would otherwise answer on its own, for the user's newest words.
            var searches = storeIds is { Count: > 0 } && calls.Count == 0 && answer.Text is null && tags.LongLength is null && input.HasUserMessage;
            var found = searches ? FileSearchAnswer.Find(state.Knowledge, storeIds!, input.LastUserText, tags.PrivateCite) : null;
            var output = calls.Count > 0 ? "" : found?.Text ?? answer.Text ?? SandboxAssistant.Reply(instructions, input.UserText, tags);
            var request = new AssistantRequest(
                AssistantRequest.ResponsesApi, conversationId, model, instructions, promptId, input.UserText, [], startedAt, state.Now)
            {
                OutputText = output,
                PreviousResponseId = previousResponseId,
                OfferedTools = offered,
                ToolChoice = toolChoice,
                FunctionCalls = calls,
                ToolOutputs = input.Outputs,
                FileSearchStoreIds = searches ? storeIds! : [],
                CitedFileIds = found is null ? [] : [found.File.Id],
            };
            var responseId = "resp_" + RandomNumberGenerator.GetHexString(48, lowercase: true);
            state.RememberCalls(calls);
            state.RememberUserText(responseId, lastUserText);
            state.RecordOpenAIRequest(request, responseId);
            SandboxLog.AssistantAnswered(logger, request.Api, responseId, conversationId, output.Length);
            var response = ResponseJson(responseId, request, body);
            if (found is not null)
            {
                var items = (JsonArray)response["output"]!;
                items.Insert(0, FileSearchCallItem(input.LastUserText, found, IncludesResults(body)));
                var message = (JsonObject)items[1]!;
                ((JsonArray)message["content"]![0]!["annotations"]!).Add(new JsonObject
                {
                    ["type"] = "file_citation",
                    ["file_id"] = found.File.Id,
                    ["filename"] = found.File.Filename,
                    ["index"] = found.Index,
                });
            }

            if (calls.Count > 0)
            {
                SandboxLog.FunctionsCalled(logger, request.Api, responseId, calls.Count);
                response["output"] = new JsonArray([.. calls.Select(CallItem)]);
            }

            if (conversationId is not null)
            {
                state.SetToolTurn(conversationId, new ToolTurnMemory(turnText, outputsInTurn, [.. calls.Select(call => call.CallId)]));
            }

            return TypedResults.Ok(response);
        }
        finally
        {
            if (conversationId is not null)
            {
                state.EndTurn(conversationId);
            }
        }
    }

    /// <summary>
    /// The file_search call the model made; <c>results</c> is null unless the request's <c>include</c> asks for
    /// <c>file_search_call.results</c>: then the sentence found, with its file and a score in (0, 1].
    /// </summary>
    private static JsonObject FileSearchCallItem(string query, FileSearchAnswer found, bool includeResults) => new()
    {
        ["id"] = "fs_" + RandomNumberGenerator.GetHexString(48, lowercase: true),
        ["type"] = "file_search_call",
        ["status"] = "completed",
        ["queries"] = new JsonArray(query),
        ["results"] = includeResults
            ? new JsonArray(new JsonObject
            {
                ["file_id"] = found.File.Id,
                ["filename"] = found.File.Filename,
                ["text"] = found.Sentence,
                ["score"] = found.Score,
                ["attributes"] = new JsonObject(),
            })
            : null,
    };

    private static bool IncludesResults(JsonObject body) =>
        (body["include"] as JsonArray ?? []).Any(item => RequestJson.Text(item) == "file_search_call.results");

    private static JsonObject CallItem(FunctionCall call) => new()
    {
        ["id"] = "fc_" + RandomNumberGenerator.GetHexString(48, lowercase: true),
        ["type"] = "function_call",
        ["status"] = "completed",
        ["call_id"] = call.CallId,
        ["name"] = call.Name,
        ["arguments"] = call.Arguments,
    };

    internal static JsonHttpResult<JsonObject> UnsupportedImage() => OpenAIErrors.Create(400,
        "You uploaded an unsupported image. Please make sure your image has of one the following formats: ['png', 'jpeg', 'gif', 'webp'].",
        OpenAIErrors.InvalidRequest, "input", "invalid_image_format");

    private static JsonObject ResponseJson(string responseId, AssistantRequest request, JsonObject body)
    {
        var inputTokens = SandboxAssistant.Tokens((request.Instructions?.Length ?? 0) + request.InputText.Length);
        var outputTokens = SandboxAssistant.Tokens(request.OutputText.Length);
        return new JsonObject
        {
            ["id"] = responseId,
            ["object"] = "response",
            ["created_at"] = request.StartedAt.ToUnixTimeSeconds(),
            ["status"] = "completed",
            ["background"] = false,
            ["error"] = null,
            ["incomplete_details"] = null,
            ["instructions"] = request.Instructions,
            ["max_output_tokens"] = null,
            ["model"] = request.Model ?? SandboxAssistant.DefaultModel,
            ["output"] = new JsonArray
            {
                new JsonObject
                {
                    ["id"] = "msg_" + RandomNumberGenerator.GetHexString(48, lowercase: true),
                    ["type"] = "message",
                    ["status"] = "completed",
                    ["role"] = "assistant",
                    ["content"] = new JsonArray
                    {
                        new JsonObject
                        {
                            ["type"] = "output_text",
                            ["text"] = request.OutputText,
                            ["annotations"] = new JsonArray(),
                            ["logprobs"] = new JsonArray(),
                        },
                    },
                },
            },
            ["parallel_tool_calls"] = true,
            ["previous_response_id"] = request.PreviousResponseId,
            ["conversation"] = request.ConversationId is null ? null : new JsonObject { ["id"] = request.ConversationId },
            ["prompt"] = body["prompt"]?.DeepClone(),
            ["reasoning"] = new JsonObject { ["effort"] = null, ["summary"] = null },
            ["store"] = true,
            ["temperature"] = 1.0,
            ["text"] = new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } },
            ["tool_choice"] = "auto",
            ["tools"] = new JsonArray(),
            ["top_p"] = 1.0,
            ["truncation"] = "disabled",
            ["usage"] = new JsonObject
            {
                ["input_tokens"] = inputTokens,
                ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 },
                ["output_tokens"] = outputTokens,
                ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 },
                ["total_tokens"] = inputTokens + outputTokens,
            },
            ["user"] = null,
            ["metadata"] = body["metadata"]?.DeepClone() ?? new JsonObject(),
        };
    }
}
