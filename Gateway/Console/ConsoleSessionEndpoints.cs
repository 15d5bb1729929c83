using HorizonAI.Gateway.Access.Authentication;
using Microsoft.AspNetCore.Authentication;
using HorizonAI.Gateway.Hosting;
using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Gateway.Console;

/// <summary>
/// Sign-in for browsers: the admin key or a scoped key is presented once and exchanged for an HttpOnly session cookie
/// (derived from the key, never the key), which the console's API calls and, for the admin key, the Orleans Dashboard carry.
/// </summary>
public static class ConsoleSessionEndpoints
{
    public static RouteGroupBuilder MapConsoleSession(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/console/session").WithTags("Console").ExcludeFromDescription()
            .RequireRateLimiting(AdminProtectionOptions.RateLimitPolicy);
        group.MapPost("/", SignInAsync);
        group.MapDelete("/", SignOut);
        group.MapGet("/", (Delegate)Status);
        return group;
    }

    public static async Task<IResult> SignInAsync(HttpContext context, AdminKey key, AuthFailureThrottle throttle, IClusterClient cluster)
    {
        if (throttle.IsBlocked(context, out var retryAfter))
        {
            return AdminCredentialHandler.TooManyFailures(context, retryAfter);
        }

        string? presented;
        if (context.Request.HasFormContentType)
        {
            presented = (await context.Request.ReadFormAsync(context.RequestAborted))["key"].ToString();
        }
        else
        {
            presented = AdminSchemes.BearerToken(context.Request);
        }

        if (string.IsNullOrEmpty(presented))
        {
            return AdminProblems.Invalid("key", "key is required");
        }

        // The admin key, or a scoped key (a client's own console: its bots only).
        string? session = null;
        if (key.Matches(presented))
        {
            session = key.SessionToken!;
        }
        else if (ApiKeyFormat.TryParse(presented, out var id, out var secret) && await cluster.GetGrain<IApiKeyGrain>(id).VerifyAsync(secret) is { } grant)
        {
            session = ConsoleSessionAuthenticationHandler.ScopedSession(context, key, grant);
        }

        if (session is null)
        {
            throttle.RecordFailure(context);
            return TypedResults.Unauthorized();
        }

        context.Response.Cookies.Append(AdminSchemes.SessionCookie, session, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            MaxAge = ConsoleSessionAuthenticationHandler.SessionLifetime,
        });
        return TypedResults.NoContent();
    }

    public static NoContent SignOut(HttpContext context)
    {
        context.Response.Cookies.Delete(AdminSchemes.SessionCookie, new CookieOptions { Path = "/" });
        return TypedResults.NoContent();
    }

    /// <summary>
    /// 204 when signed in; 401 otherwise, a presented but wrong session counting toward the lock-out; 429 while the
    /// client is locked out.
    /// </summary>
    public static async Task<IResult> Status(HttpContext context) =>
        !AdminSchemes.PresentsCredentials(context) ? TypedResults.Unauthorized()
        : (await context.AuthenticateAsync(AdminSchemes.Any)).Succeeded ? TypedResults.NoContent()
        : TypedResults.Challenge(authenticationSchemes: [AdminSchemes.Any]);
}
