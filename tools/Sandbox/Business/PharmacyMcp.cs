using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;

namespace HorizonAI.Sandbox.Business;

/// <summary>
/// The demo pharmacy's MCP server (Streamable HTTP, stateless) at <see cref="SandboxBusiness.McpPath"/>: it requires
/// <c>Authorization: Bearer</c> <see cref="SandboxBusiness.McpToken"/> and records every <c>tools/call</c>.
/// </summary>
internal static class PharmacyMcp
{
    public static IServiceCollection AddPharmacyMcp(this IServiceCollection services)
    {
        services.AddMcpServer(options => options.ServerInfo = new Implementation { Name = "sandbox-pharmacy", Version = "1.0.0" })
            .WithHttpTransport(options => options.Stateless = true)
            .WithTools<PharmacyTools>();
        return services;
    }

    public static IEndpointConventionBuilder MapPharmacyMcp(this IEndpointRouteBuilder routes) =>
        routes.MapMcp(SandboxBusiness.McpPath).AddEndpointFilter(RequireToken);

    /// <summary>Refuses a request without the token (401, a JSON error) and records each tool call, refused or not.</summary>
    private static async ValueTask<object?> RequireToken(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var state = context.RequestServices.GetRequiredService<SandboxState>();
        var authorized = string.Equals(context.Request.Headers.Authorization, "Bearer " + SandboxBusiness.McpToken, StringComparison.Ordinal);
        if (HttpMethods.IsPost(context.Request.Method) && await ToolCallAsync(context.Request) is { } call)
        {
            state.Business.RecordMcpCall(new McpToolCall(call.Tool, call.Arguments, authorized, state.Now));
        }

        return authorized
            ? await next(invocation)
            : TypedResults.Json(new JsonObject { ["error"] = "unauthorized: send Authorization: Bearer <token>" }, statusCode: StatusCodes.Status401Unauthorized);
    }

    /// <summary>The tool and arguments of a JSON-RPC <c>tools/call</c> body; the body is left readable for the server.</summary>
    private static async Task<(string Tool, string Arguments)?> ToolCallAsync(HttpRequest request)
    {
        request.EnableBuffering();
        try
        {
            var message = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) as JsonObject;
            return message?["method"]?.GetValue<string>() == "tools/call" && message["params"]?["name"]?.GetValue<string>() is { } tool
                ? (tool, message["params"]?["arguments"]?.ToJsonString() ?? "{}")
                : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
        finally
        {
            request.Body.Position = 0;
        }
    }
}
