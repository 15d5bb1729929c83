using System.Text.Json;
using System.Text.Json.Nodes;

namespace HorizonAI.Sandbox.Business;

/// <summary>A function-tool call as the demo business read it: the recorded call and its arguments.</summary>
internal sealed record BusinessRequest(BusinessCall Call, int Index, JsonObject Arguments, bool Parsed)
{
    /// <summary>Reads the raw body, verifies its signature and records the call as begun.</summary>
    public static async Task<BusinessRequest> ReadAsync(HttpContext context, SandboxState state)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var verified = ToolSignature.Verify(SandboxBusiness.ToolsSecret, context.Request.Headers[SandboxBusiness.SignatureHeader], body);
        JsonObject? json = null;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
        }

        var arguments = json?["arguments"] as JsonObject ?? [];
        var call = new BusinessCall(
            context.Request.Path,
            Text(json?["tool"]),
            Text(json?["call_id"]),
            context.Request.Headers[SandboxBusiness.IdempotencyKeyHeader].FirstOrDefault(),
            verified,
            arguments.ToJsonString(),
            Text(json?["bot"]),
            Text(json?["user"]),
            Text(json?["profile_name"]),
            state.Now);
        return new BusinessRequest(call, state.Business.Begin(call), arguments, json is not null);
    }

    /// <summary>Records the answer's status and returns the answer.</summary>
    public T Finish<T>(SandboxState state, int status, T result)
    {
        state.Business.Finish(Index, Call, status, state.Now);
        return result;
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
