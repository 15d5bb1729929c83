using HorizonAI.Sandbox.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Sandbox.TwilioApi;

/// <summary>
/// Twilio media URLs with "Enforce HTTP Auth on Media URLs" on: Basic auth of the account, then a 307 to a
/// short-lived URL on another host (<c>localhost</c> for <c>127.0.0.1</c> and back), which must be fetched
/// without the credentials. The media fault switches apply to the first hop.
/// </summary>
internal static class MediaEndpoints
{
    public const string CdnPath = "/_media";

    public static void MapTwilioMedia(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/2010-04-01/Accounts/{accountSid}/Messages/{messageSid}/Media/{mediaSid}", Locate)
            .AddEndpointFilter(new FaultFilter(state => state.MediaFaults, TwilioErrors.Injected))
            .WithTags("Twilio");
        routes.MapGet(CdnPath + "/{mediaSid}", Serve).WithTags("Twilio");
    }

    private static IResult Locate(string accountSid, string messageSid, string mediaSid, HttpContext context, SandboxState state)
    {
        var credentials = BasicCredentials.From(context.Request);
        var media = state.Media.Find(mediaSid);
        if (credentials is null || credentials.User != accountSid)
        {
            state.Media.Record(new MediaFetch("twilio", mediaSid, credentials is not null, 401));
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Twilio API\"";
            return TwilioErrors.Create(401, TwilioErrors.Authenticate, "Authenticate");
        }

        if (media is null || media.AccountSid != accountSid || media.MessageSid != messageSid)
        {
            state.Media.Record(new MediaFetch("twilio", mediaSid, true, 404));
            return TwilioErrors.Create(404, 20404, $"The requested resource /2010-04-01/Accounts/{accountSid}/Messages/{messageSid}/Media/{mediaSid} was not found");
        }

        state.Media.Record(new MediaFetch("twilio", mediaSid, true, 307));
        var request = context.Request;
        var otherHost = request.Host.Host == "localhost" ? "127.0.0.1" : "localhost";
        return TypedResults.Redirect($"{request.Scheme}://{otherHost}:{request.Host.Port}{CdnPath}/{mediaSid}?Expires=14400", permanent: false, preserveMethod: true);
    }

    private static IResult Serve(string mediaSid, HttpContext context, SandboxState state)
    {
        var authorized = context.Request.Headers.Authorization.Count > 0;
        if (authorized)
        {
            // The media host is not Twilio's: credentials sent here would have leaked.
            state.Media.Record(new MediaFetch("cdn", mediaSid, true, 400));
            return TypedResults.BadRequest("credentials must not be sent to the media host");
        }

        if (state.Media.Find(mediaSid) is not { } media)
        {
            state.Media.Record(new MediaFetch("cdn", mediaSid, false, 404));
            return TypedResults.NotFound();
        }

        state.Media.Record(new MediaFetch("cdn", mediaSid, false, 200));
        return TypedResults.Bytes(media.Data, media.ContentType);
    }
}
