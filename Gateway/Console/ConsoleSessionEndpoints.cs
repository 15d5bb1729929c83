using HorizonAI.Gateway.Hosting;
using HorizonAI.Gateway.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Gateway.Console;

/// <summary>
/// Sign-in for browsers: the admin key is presented once and exchanged for an HttpOnly session cookie, which the
/// console's API calls and the Orleans Dashboard then carry.
/// </summary>
public static class ConsoleSessionEndpoints
{
    public static RouteGroupBuilder MapConsoleSession(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/console/session").WithTags("Console").ExcludeFromDescription()
            .RequireRateLimiting(AdminProtectionOptions.RateLimitPolicy);
        group.MapPost("/", SignInAsync);
        group.MapDelete("/", SignOut);
        group.MapGet("/", Status);
        return group;
    }

    public static async Task<IResult> SignInAsync(HttpContext context, AdminKey key, AuthFailureThrottle throttle)
    {
        if (throttle.IsBlocked(context, out var retryAfter))
        {
            return AdminAuthorization.TooManyFailures(context, retryAfter);
        }

        string? presented;
        if (context.Request.HasFormContentType)
        {
            presented = (await context.Request.ReadFormAsync(context.RequestAborted))["key"].ToString();
        }
        else
        {
            presented = AdminAuthorization.BearerToken(context.Request);
        }

        if (string.IsNullOrEmpty(presented))
        {
            return AdminProblems.Invalid("key", "key is required");
        }

        if (!key.Matches(presented))
        {
            throttle.RecordFailure(context);
            return TypedResults.Unauthorized();
        }

        context.Response.Cookies.Append(AdminAuthorization.SessionCookie, key.SessionToken!, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            MaxAge = TimeSpan.FromHours(12),
        });
        return TypedResults.NoContent();
    }

    public static NoContent SignOut(HttpContext context)
    {
        context.Response.Cookies.Delete(AdminAuthorization.SessionCookie, new CookieOptions { Path = "/" });
        return TypedResults.NoContent();
    }

    /// <summary>
    /// 204 when signed in; 401 otherwise, a presented but wrong session counting toward the lock-out; 429 while the
    /// client is locked out.
    /// </summary>
    public static IResult Status(HttpContext context) =>
        !AdminAuthorization.PresentsCredentials(context)
            ? TypedResults.Unauthorized()
            : AdminAuthorization.Refusal(context) ?? TypedResults.NoContent();
}
