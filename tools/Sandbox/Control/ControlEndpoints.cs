using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Sandbox.Control;

/// <summary>
/// <c>/_sandbox/…</c>: what the sandbox recorded and its switches, over HTTP, for the sandbox running as its own
/// process. Never subject to the fault switches.
/// </summary>
internal static class ControlEndpoints
{
    public const string Twilio = "twilio";
    public const string OpenAI = "openai";
    public const string Media = "media";

    public static RouteGroupBuilder MapSandboxControl(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/_sandbox").WithTags("Sandbox control");
        group.MapGet("/health", Health);
        // A stand-in for a business's own webhook (handoff notices): records what it is sent, answers 200.
        group.MapPost("/hooks", async (HttpContext context, SandboxState state) =>
        {
            using var body = new StreamReader(context.Request.Body);
            state.RecordHook(new ReceivedHook(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), await body.ReadToEndAsync()));
            return TypedResults.Ok();
        });
        group.MapGet("/hooks", (SandboxState state) => TypedResults.Ok(state.Hooks));
        group.MapGet("/twilio/messages", TwilioMessages);
        group.MapGet("/twilio/typing-indicators", TypingIndicators);
        group.MapGet("/twilio/status-callbacks", StatusCallbacks);
        group.MapPost("/twilio/settings", UpdateTwilioSettings);
        // A user's message to a bot's number, as Twilio would have delivered it: opens the 24-hour window.
        group.MapPost("/twilio/inbound", (string bot, string user, SandboxState state) =>
        {
            state.WhatsApp.UserWrote(bot, user, state.Now);
            return TypedResults.NoContent();
        });
        group.MapGet("/openai/requests", OpenAIRequests);
        group.MapGet("/openai/files", (SandboxState state) => TypedResults.Ok(state.Knowledge.Files));
        group.MapGet("/openai/vector-stores", (SandboxState state) => TypedResults.Ok(state.Knowledge.Stores));
        group.MapPost("/openai/vector-stores/delete", DeleteStores);
        group.MapGet("/openai/knowledge", (SandboxState state) => TypedResults.Ok(KnowledgeSettings.From(state.Knowledge)));
        group.MapPost("/openai/knowledge", UpdateKnowledge);
        group.MapGet("/counters", Counters);
        group.MapGet("/faults", Faults);
        group.MapPost("/faults/{upstream}", UpdateFaults);
        group.MapPost("/reset", Reset);
        group.MapPost("/media", AddMedia);
        group.MapGet("/media/fetches", (SandboxState state) => TypedResults.Ok(state.Media.Fetches));
        group.MapGet("/openai/transcriptions", (SandboxState state) => TypedResults.Ok(state.Media.Transcriptions));
        group.MapGet("/business/calls", (SandboxState state) => TypedResults.Ok(state.Business.Calls));
        group.MapGet("/business/bookings", (SandboxState state) => TypedResults.Ok(state.Business.Bookings));
        group.MapGet("/business/mcp-calls", (SandboxState state) => TypedResults.Ok(state.Business.McpCalls));
        group.MapPost("/business/release", ReleaseHeldCalls);
        group.MapGet("/business/demo-bots/{name}", DemoBot);
        group.MapGet("/business/demo-bots/{name}/knowledge", DemoKnowledge);
        return group;
    }

    /// <summary>
    /// Stores the request body as media (its Content-Type kept) and answers its Twilio URL; <c>account_sid</c> names
    /// the account whose credentials fetch it, <c>transcript</c> what the transcription API hears in it.
    /// </summary>
    private static async Task<Results<Ok<JsonObject>, BadRequest<string>>> AddMedia(
        HttpContext context, SandboxState state, string account_sid, string? transcript)
    {
        var contentType = context.Request.ContentType;
        if (string.IsNullOrWhiteSpace(contentType) || !account_sid.StartsWith("AC", StringComparison.Ordinal))
        {
            return TypedResults.BadRequest("send the media as the body with its Content-Type, and account_sid=AC…");
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var baseUrl = $"{context.Request.Scheme}://{context.Request.Host}";
        var url = state.Media.Add(baseUrl, account_sid, body.ToArray(), contentType.Split(';')[0].Trim().ToLowerInvariant(), transcript);
        return TypedResults.Ok(new JsonObject { ["url"] = url, ["content_type"] = contentType });
    }

    private static Ok<JsonObject> Health() => TypedResults.Ok(new JsonObject { ["status"] = "ok" });

    private static Ok<IReadOnlyList<SentMessage>> TwilioMessages(SandboxState state) => TypedResults.Ok(state.TwilioMessages);

    private static Ok<IReadOnlyList<TypingIndicator>> TypingIndicators(SandboxState state) => TypedResults.Ok(state.TypingIndicators);

    private static Ok<IReadOnlyList<StatusCallbackDelivery>> StatusCallbacks(SandboxState state) => TypedResults.Ok(state.StatusCallbacks);

    private static Ok<IReadOnlyList<AssistantRequest>> OpenAIRequests(SandboxState state) => TypedResults.Ok(state.OpenAIRequests);

    private static Ok<SandboxCounters> Counters(SandboxState state) => TypedResults.Ok(SandboxCounters.From(state));

    private static Ok<Dictionary<string, UpstreamFaults>> Faults(SandboxState state) =>
        TypedResults.Ok(new Dictionary<string, UpstreamFaults> { [Twilio] = state.Twilio, [OpenAI] = state.OpenAI, [Media] = state.MediaFaults });

    private static Results<Ok<UpstreamFaults>, NotFound<string>, ValidationProblem> UpdateFaults(
        string upstream, JsonObject body, SandboxState state)
    {
        var faults = upstream.ToLowerInvariant() switch
        {
            Twilio => state.Twilio,
            OpenAI => state.OpenAI,
            Media => state.MediaFaults,
            _ => null,
        };
        if (faults is null)
        {
            return TypedResults.NotFound($"Unknown upstream '{upstream}': use '{Twilio}', '{OpenAI}' or '{Media}'.");
        }

        var errors = new SwitchPatch(body)
            .Int("latencyMs", value => faults.LatencyMs = value)
            .Int("failNext", value => faults.FailNext = value)
            .Int("failStatus", value => faults.FailStatus = value, min: 400, max: 599)
            .NullableInt("retryAfterSeconds", value => faults.RetryAfterSeconds = value)
            .Bool("down", value => faults.Down = value)
            .Bool("hang", value => faults.Hang = value)
            .NullableInt("twilioErrorCode", value => faults.TwilioErrorCode = value)
            .TryApply();
        return errors.Count == 0 ? TypedResults.Ok(faults) : TypedResults.ValidationProblem(errors);
    }

    private static Results<Ok<TwilioSettings>, ValidationProblem> UpdateTwilioSettings(JsonObject body, SandboxState state)
    {
        var errors = new SwitchPatch(body)
            .Bool("sendStatusCallbacks", value => state.SendStatusCallbacks = value)
            .NullableString("twilioAuthToken", value => state.TwilioAuthToken = value)
            .NullableInt("statusCallbackErrorCode", value => state.StatusCallbackErrorCode = value)
            .Bool("enforceWindow", value => state.WhatsApp.EnforceWindow = value)
            .NullableInt("senderRatePerSecond", value => state.WhatsApp.SenderRatePerSecond = value)
            .TryApply();
        return errors.Count == 0
            ? TypedResults.Ok(new TwilioSettings(state.SendStatusCallbacks, state.TwilioAuthToken is not null, state.StatusCallbackErrorCode,
                state.WhatsApp.EnforceWindow, state.WhatsApp.SenderRatePerSecond))
            : TypedResults.ValidationProblem(errors);
    }

    private static Results<Ok<KnowledgeSettings>, ValidationProblem> UpdateKnowledge(JsonObject body, SandboxState state)
    {
        var knowledge = state.Knowledge;
        var errors = new SwitchPatch(body)
            .Int("pollsInProgress", value => knowledge.PollsInProgress = value)
            .NullableInt("ingestionDelayMs", value => knowledge.IngestionDelayMs = value)
            .Int("pollAfterMs", value => knowledge.PollAfterMs = value)
            .Int("failNextFiles", value => knowledge.FailNextFiles = value)
            .Bool("failAllFiles", value => knowledge.FailAllFiles = value)
            .Bool("holdIngestion", value => knowledge.HoldIngestion = value)
            .TryApply();
        return errors.Count == 0 ? TypedResults.Ok(KnowledgeSettings.From(knowledge)) : TypedResults.ValidationProblem(errors);
    }

    /// <summary>
    /// Deletes vector stores behind the platform's back: <c>{"id": "vs_…"}</c>, or <c>{"metadata": {"key": "value"}}</c>
    /// for every live store whose metadata has that pair. Answers <c>{"deleted": N}</c>.
    /// </summary>
    private static Results<Ok<JsonObject>, BadRequest<string>> DeleteStores(JsonObject body, SandboxState state)
    {
        if (body["id"] is JsonValue id && id.TryGetValue<string>(out var storeId))
        {
            return TypedResults.Ok(new JsonObject { ["deleted"] = state.Knowledge.DeleteStore(storeId) ? 1 : 0 });
        }

        if (body["metadata"] is JsonObject { Count: 1 } metadata && metadata.First() is var (key, value)
            && value is JsonValue text && text.TryGetValue<string>(out var wanted))
        {
            return TypedResults.Ok(new JsonObject { ["deleted"] = state.Knowledge.DeleteStoresWithMetadata(key, wanted) });
        }

        return TypedResults.BadRequest("send {\"id\": \"vs_…\"} or {\"metadata\": {\"key\": \"value\"}} (one pair)");
    }

    /// <summary>Lets every call held by <c>/demo/tools/echo?hold=1</c> answer.</summary>
    private static Ok<JsonObject> ReleaseHeldCalls(SandboxState state) =>
        TypedResults.Ok(new JsonObject { ["released"] = state.Business.Release() });

    /// <summary>A bot definition for <c>POST /bots</c> whose tools are this sandbox's demo business (<c>restaurant</c>, <c>pharmacy</c>).</summary>
    private static Results<Ok<JsonObject>, NotFound<string>> DemoBot(string name, HttpContext context) =>
        Business.DemoBots.Definition(name, $"{context.Request.Scheme}://{context.Request.Host}") is { } bot
            ? TypedResults.Ok(bot)
            : TypedResults.NotFound($"Unknown demo bot '{name}': use {string.Join(" or ", Business.DemoBots.Names)}.");

    /// <summary>The knowledge document of a demo bot (<c>{"title", "text"}</c>), for <c>POST /bots/{number}/knowledge</c>.</summary>
    private static Results<Ok<JsonObject>, NotFound<string>> DemoKnowledge(string name) =>
        Business.DemoBots.Knowledge(name) is { } document
            ? TypedResults.Ok(document)
            : TypedResults.NotFound($"Demo bot '{name}' has no knowledge document.");

    private static NoContent Reset(SandboxState state)
    {
        state.Reset();
        return TypedResults.NoContent();
    }
}
