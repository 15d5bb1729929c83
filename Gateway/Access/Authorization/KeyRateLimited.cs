using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Webhooks;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Authorization;

namespace HorizonAI.Gateway.Access.Authorization;

public sealed class KeyRateLimited(IAuthorizationHandler handler, TimeSpan retryAfter) : AccessRefusal(handler, "key rate limit", 0)
{
    public override IResult Answer(HttpContext context)
    {
        context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "This key made too many requests in the last minute; try again later");
    }
}
