using System.Security.Cryptography;
using System.Text;

namespace HorizonAI.Gateway.Hosting;

/// <summary>
/// Requires the admin key on every route of a group: <c>Authorization: Bearer &lt;ADMIN_API_KEY&gt;</c> for scripts, or
/// the session cookie that the console's sign-in sets for browsers (which cannot add headers to a navigation).
/// </summary>
public static class AdminAuthorization
{
    public const string SessionCookie = "horizonai_admin";

    public static RouteGroupBuilder RequireAdminKey(this RouteGroupBuilder group)
    {
        group.RequireRateLimiting(AdminProtectionOptions.RateLimitPolicy);
        group.WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(Bots.BotEndpoints.MaxBodyBytes));
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var throttle = http.RequestServices.GetRequiredService<AuthFailureThrottle>();
            if (throttle.IsBlocked(http, out var retryAfter))
            {
                return TooManyFailures(http, retryAfter);
            }

            if (IsAdmin(http))
            {
                return await next(context);
            }

            throttle.RecordFailure(http);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid admin API key is required (Authorization: Bearer <ADMIN_API_KEY>)");
        });
        return group;
    }

    public static IResult TooManyFailures(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed authentication attempts; try again later");
    }

    public static bool IsAdmin(HttpContext context)
    {
        var key = context.RequestServices.GetRequiredService<AdminKey>();
        return key.Matches(BearerToken(context.Request))
            || (context.Request.Cookies.TryGetValue(SessionCookie, out var session) && key.MatchesSession(session));
    }

    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : null;
    }
}
