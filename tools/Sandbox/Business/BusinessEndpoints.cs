using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using HorizonAI.Sandbox.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Sandbox.Business;

/// <summary>
/// The demo business's function-tool endpoints, as the platform calls them (SPEC §10): a signed JSON POST with an
/// <c>Idempotency-Key</c>. A restaurant that checks availability and books tables, and a test endpoint steered by
/// its query string. A call whose signature does not verify is refused with 401 (and recorded as such).
/// </summary>
internal static class BusinessEndpoints
{
    /// <summary>The demo restaurant seats parties of up to this many.</summary>
    public const int LargestParty = 8;

    /// <summary>The status recorded for a call whose caller went away before the answer (nginx's "client closed request").</summary>
    public const int CallerGone = 499;

    public static RouteGroupBuilder MapSandboxBusiness(this IEndpointRouteBuilder routes)
    {
        var demo = routes.MapGroup("").WithTags("Demo business");
        demo.MapPost(SandboxBusiness.RestaurantPath + "/check_availability", CheckAvailability);
        demo.MapPost(SandboxBusiness.RestaurantPath + "/book_table", BookTable);
        demo.MapPost(SandboxBusiness.EchoPath, Echo);
        demo.MapPharmacyMcp();
        return demo;
    }

    private static async Task<JsonHttpResult<JsonObject>> CheckAvailability(HttpContext context, SandboxState state)
    {
        var request = await BusinessRequest.ReadAsync(context, state);
        if (Refusal(request) is { } refused)
        {
            return request.Finish(state, refused.StatusCode ?? 400, refused);
        }

        if (People(request.Arguments) is not { } people || Text(request.Arguments["time"]) is not { } time)
        {
            return request.Finish(state, 422, Error(422, "arguments 'people' (a number) and 'time' are required"));
        }

        return request.Finish(state, 200, TypedResults.Json(new JsonObject
        {
            ["available"] = people <= LargestParty,
            ["time"] = time,
            ["people"] = people,
        }));
    }

    /// <summary>
    /// One booking per Idempotency-Key: a retried call gets the booking its first attempt made. With <c>hold=1</c> the
    /// booking is made at once and its answer held until a release (a business slow to answer what it already did).
    /// </summary>
    private static async Task<Results<JsonHttpResult<JsonObject>, EmptyHttpResult>> BookTable(HttpContext context, SandboxState state, int? hold)
    {
        var request = await BusinessRequest.ReadAsync(context, state);
        if (Refusal(request) is { } refused)
        {
            return request.Finish(state, refused.StatusCode ?? 400, refused);
        }

        if (request.Call.IdempotencyKey is not { Length: > 0 } key)
        {
            return request.Finish(state, 400, Error(400, $"the {SandboxBusiness.IdempotencyKeyHeader} header is required"));
        }

        if (People(request.Arguments) is not { } people || Text(request.Arguments["time"]) is not { } time)
        {
            return request.Finish(state, 422, Error(422, "arguments 'people' (a number) and 'time' are required"));
        }

        if (people > LargestParty)
        {
            return request.Finish(state, 409, Error(409, $"no table for {people}: the largest party is {LargestParty}"));
        }

        var (booking, _) = state.Business.Book(key, people, time, Text(request.Arguments["name"]), state.Now);
        if (hold == 1 && !await state.Business.HoldAsync(context.RequestAborted))
        {
            return request.Finish(state, CallerGone, TypedResults.Empty);
        }

        return request.Finish(state, 200, TypedResults.Json(new JsonObject
        {
            ["booking_id"] = booking.BookingId,
            ["people"] = booking.People,
            ["time"] = booking.Time,
            ["name"] = booking.Name,
        }));
    }

    /// <summary>
    /// Steered by the query string, combinable: <c>hold=1</c> (wait for a release), <c>delay_ms</c> (wait first),
    /// <c>status</c> (answer it), <c>bytes</c> (a body of exactly that size), <c>invalid=1</c> (invalid JSON).
    /// Otherwise echoes <c>{"ok":true,"tool","arguments"}</c>.
    /// </summary>
    private static async Task<Results<JsonHttpResult<JsonObject>, ContentHttpResult, EmptyHttpResult>> Echo(
        HttpContext context, SandboxState state, int? status, int? delay_ms, int? bytes, int? invalid, int? hold)
    {
        var request = await BusinessRequest.ReadAsync(context, state);
        if (Refusal(request) is { } refused)
        {
            return request.Finish(state, refused.StatusCode ?? 400, refused);
        }

        if (hold == 1 && !await state.Business.HoldAsync(context.RequestAborted))
        {
            return request.Finish(state, CallerGone, TypedResults.Empty);
        }

        if (delay_ms is > 0 && !await FaultGate.DelayAsync(context, TimeSpan.FromMilliseconds(delay_ms.Value)))
        {
            return request.Finish(state, CallerGone, TypedResults.Empty);
        }

        var code = status is >= 100 and <= 599 ? status.Value : 200;
        if (invalid == 1)
        {
            return request.Finish(state, code, TypedResults.Content("{\"ok\": tru", "application/json", Encoding.UTF8, code));
        }

        if (bytes is >= 0)
        {
            return request.Finish(state, code, Sized(bytes.Value, code));
        }

        return request.Finish(state, code, TypedResults.Json(new JsonObject
        {
            ["ok"] = true,
            ["tool"] = request.Call.Tool,
            ["arguments"] = request.Arguments.DeepClone(),
        }, statusCode: code));
    }

    /// <summary>Exactly <paramref name="size"/> bytes: a JSON object padded with x's, or plain x's when too small for one.</summary>
    private static ContentHttpResult Sized(int size, int status)
    {
        const string Open = "{\"pad\":\"", Close = "\"}";
        return size >= Open.Length + Close.Length
            ? TypedResults.Content(Open + new string('x', size - Open.Length - Close.Length) + Close, "application/json", Encoding.UTF8, status)
            : TypedResults.Content(new string('x', size), "text/plain", Encoding.UTF8, status);
    }

    private static JsonHttpResult<JsonObject>? Refusal(BusinessRequest request) =>
        !request.Call.SignatureValid ? Error(401, $"{SandboxBusiness.SignatureHeader} missing or not valid for this body")
        : !request.Parsed ? Error(400, "the body is not a JSON object")
        : null;

    private static JsonHttpResult<JsonObject> Error(int status, string message) =>
        TypedResults.Json(new JsonObject { ["error"] = message }, statusCode: status);

    private static int? People(JsonObject arguments) => arguments["people"] switch
    {
        JsonValue value when value.TryGetValue<int>(out var number) => number,
        JsonValue value when value.TryGetValue<string>(out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
