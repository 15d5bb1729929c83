using System.Security.Cryptography;
using System.Text.Json.Nodes;
using HorizonAI.Sandbox.Diagnostics;
using HorizonAI.Sandbox.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>
/// <c>/v1/conversations</c>: create, read and delete. The sandbox keeps only the ids; items are not stored,
/// because no answer depends on history.
/// </summary>
internal static class ConversationsEndpoints
{
    public static RouteGroupBuilder MapConversations(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/conversations")
            .AddEndpointFilter(new FaultFilter(state => state.OpenAI, OpenAIErrors.Injected));
        group.MapPost("", CreateConversation);
        group.MapGet("/{conversationId}", GetConversation);
        group.MapDelete("/{conversationId}", DeleteConversation);
        return group;
    }

    private static async Task<Results<Ok<JsonObject>, JsonHttpResult<JsonObject>>> CreateConversation(
        HttpContext context, SandboxState state, ILoggerFactory loggers)
    {
        if (await RequestJson.ReadObjectAsync(context.Request) is not { } body)
        {
            return RequestJson.Unparsable();
        }

        var id = "conv_" + RandomNumberGenerator.GetHexString(48, lowercase: true);
        state.AddConversation(id);
        SandboxLog.ConversationCreated(loggers.CreateLogger(SandboxLog.OpenAICategory), id);
        return TypedResults.Ok(ConversationJson(id, state.Now, body["metadata"]?.DeepClone()));
    }

    private static Results<Ok<JsonObject>, JsonHttpResult<JsonObject>> GetConversation(string conversationId, SandboxState state) =>
        state.ConversationExists(conversationId)
            ? TypedResults.Ok(ConversationJson(conversationId, state.Now, null))
            : NotFound(conversationId);

    private static Results<Ok<JsonObject>, JsonHttpResult<JsonObject>> DeleteConversation(string conversationId, SandboxState state) =>
        state.DeleteConversation(conversationId)
            ? TypedResults.Ok(new JsonObject
            {
                ["id"] = conversationId,
                ["object"] = "conversation.deleted",
                ["deleted"] = true,
            })
            : NotFound(conversationId);

    private static JsonObject ConversationJson(string id, DateTimeOffset createdAt, JsonNode? metadata) => new()
    {
        ["id"] = id,
        ["object"] = "conversation",
        ["created_at"] = createdAt.ToUnixTimeSeconds(),
        ["metadata"] = metadata ?? new JsonObject(),
    };

    private static JsonHttpResult<JsonObject> NotFound(string conversationId) =>
        OpenAIErrors.Create(404, $"Conversation with id '{conversationId}' not found.", OpenAIErrors.InvalidRequest);
}
