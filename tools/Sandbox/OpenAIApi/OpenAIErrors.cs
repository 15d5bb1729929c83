using System.Text.Json.Nodes;
using HorizonAI.Sandbox.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>
/// OpenAI's error body, <c>{"error":{"message","type","param","code"}}</c>; the SDK surfaces it as a
/// <c>ClientResultException</c> whose <c>Status</c> is the HTTP status and whose message contains the text.
/// </summary>
internal static class OpenAIErrors
{
    public const string InvalidRequest = "invalid_request_error";
    public const string ServerError = "server_error";
    public const string ConversationLocked = "conversation_locked";

    public static JsonHttpResult<JsonObject> Create(int status, string message, string type, string? param = null, string? code = null) =>
        TypedResults.Json(
            new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["message"] = message,
                    ["type"] = type,
                    ["param"] = param,
                    ["code"] = code,
                },
            },
            statusCode: status);

    /// <summary>An error as OpenAI words it for <paramref name="status"/>, for injected faults and <c>#fail</c>.</summary>
    public static JsonHttpResult<JsonObject> ForStatus(int status, string why) => status switch
    {
        401 => Create(status, $"Incorrect API key provided ({why}).", InvalidRequest, code: "invalid_api_key"),
        404 => Create(status, $"The model or resource does not exist ({why}).", InvalidRequest),
        429 => Create(status, $"Rate limit reached for requests ({why}).", "requests", code: "rate_limit_exceeded"),
        500 => Create(status, $"The server had an error while processing your request. Sorry about that! ({why})", ServerError),
        503 => Create(status, $"The engine is currently overloaded, please try again later. ({why})", ServerError),
        >= 500 => Create(status, $"Bad gateway. ({why})", ServerError),
        _ => Create(status, $"Request refused ({why}).", InvalidRequest),
    };

    public static JsonHttpResult<JsonObject> Injected(FaultPlan plan) => ForStatus(plan.FailStatus, "sandbox fault");
}
