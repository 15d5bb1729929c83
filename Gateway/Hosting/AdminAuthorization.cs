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
        group.AddEndpointFilter(async (context, next) => Refusal(context.HttpContext) ?? await next(context));
        return group;
    }

    /// <summary>
    /// Null when the request carries the admin key (bearer header or session cookie); otherwise why not: 429 while the
    /// client is shut out after too many failures, else 401, counting the attempt as a failure.
    /// </summary>
    public static IResult? Refusal(HttpContext context)
    {
        var throttle = context.RequestServices.GetRequiredService<AuthFailureThrottle>();
        if (throttle.IsBlocked(context, out var retryAfter))
        {
            return TooManyFailures(context, retryAfter);
        }

        if (IsAdmin(context))
        {
            return null;
        }

        throttle.RecordFailure(context);
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid admin API key is required (Authorization: Bearer <ADMIN_API_KEY>)");
    }

    /// <summary>Whether the request presents a key or a session at all (a missing one is not a guess).</summary>
    public static bool PresentsCredentials(HttpContext context) =>
        BearerToken(context.Request) is not null || context.Request.Cookies.ContainsKey(SessionCookie);

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
