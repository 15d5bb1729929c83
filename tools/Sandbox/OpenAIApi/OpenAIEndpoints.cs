using System.Text.Json.Nodes;
using HorizonAI.Sandbox.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>The subset of the OpenAI API the app uses, under <c>/v1</c> (the SDK's <c>Endpoint</c> includes it).</summary>
internal static class OpenAIEndpoints
{
    public static RouteGroupBuilder MapOpenAI(this IEndpointRouteBuilder routes)
    {
        var v1 = routes.MapGroup("/v1")
            .AddEndpointFilter(new RejectionCounter(state => state.CountOpenAIRejection()))
            .AddEndpointFilter<ApiKeyFilter>()
            .WithTags("OpenAI");

        v1.MapConversations();
        v1.MapFiles();
        v1.MapVectorStores();

        // Responses and Chat Completions apply the fault switches themselves, after parsing, so that a delayed
        // Responses turn already holds its conversation lock.
        v1.MapResponses();
        v1.MapChatCompletions();
        v1.MapTranscriptions();

        // Unknown paths (the Assistants API among them, shut down in 2026) answer as OpenAI does.
        v1.MapFallback("/{**path}", NotFound);
        return v1;
    }

    private static JsonHttpResult<JsonObject> NotFound(HttpContext context) => OpenAIErrors.Create(
        404, $"Invalid URL ({context.Request.Method} {context.Request.Path})", OpenAIErrors.InvalidRequest);
}
