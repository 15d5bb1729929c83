using System.Text.Json.Nodes;
using HorizonAI.Sandbox.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Sandbox.TwilioApi;

/// <summary>
/// Twilio's error body, <c>{"code","message","more_info","status"}</c>: the SDK's <c>TwilioRestClient</c> reads it
/// into <c>ApiException.Code</c>, <c>.Status</c>, <c>.Message</c> and <c>.MoreInfo</c>.
/// </summary>
internal static class TwilioErrors
{
    public const int Authenticate = 20003;
    public const int NotFound = 20404;
    public const int TooManyRequests = 20429;
    public const int InternalServerError = 20500;
    public const int ServiceUnavailable = 20503;
    public const int MessageBodyRequired = 21602;
    public const int FromRequired = 21603;
    public const int ToRequired = 21604;
    public const int InvalidTo = 21211;
    public const int InvalidFrom = 21212;
    public const int BodyTooLong = 21617;
    public const int ChannelMismatch = 21910;
    public const int InvalidParameter = 20001;
    public const int OutsideWindow = 63016;

    public static JsonHttpResult<JsonObject> Create(int status, int code, string message) =>
        TypedResults.Json(
            new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
                ["status"] = status,
            },
            statusCode: status);

    /// <summary>The answer to a request the fault switches chose to fail.</summary>
    public static JsonHttpResult<JsonObject> Injected(FaultPlan plan)
    {
        var code = plan.TwilioErrorCode ?? plan.FailStatus switch
        {
            401 => Authenticate,
            404 => NotFound,
            429 => TooManyRequests,
            503 => ServiceUnavailable,
            >= 500 => InternalServerError,
            _ => InvalidParameter,
        };
        return Create(plan.FailStatus, code, $"{MessageFor(code)} (sandbox fault)");
    }

    public static string Describe(int code) => MessageFor(code);

    private static string MessageFor(int code) => code switch
    {
        Authenticate => "Authenticate",
        NotFound => "The requested resource was not found",
        TooManyRequests => "Too Many Requests",
        ServiceUnavailable => "Service Unavailable",
        InternalServerError => "Internal Server Error",
        InvalidTo => "The 'To' number is not a valid phone number.",
        OutsideWindow => "Failed to send freeform message because you are outside the allowed window. If you are using WhatsApp, please use a Message Template.",
        _ => $"Error {code}",
    };
}
