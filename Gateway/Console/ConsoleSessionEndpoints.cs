using HorizonAI.Gateway.Access.Authentication;
using Microsoft.AspNetCore.Authentication;
using HorizonAI.Gateway.Hosting;
using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Gateway.Console;

/// <summary>
/// Sign-in for browsers: the admin key or a scoped key is presented once and exchanged for an HttpOnly session cookie
/// (a signed session of its own, never the key), which the console's API calls and, for the admin key, the Orleans
/// Dashboard carry. Sign-out ends that session on every Gateway.
/// </summary>
public static class ConsoleSessionEndpoints
{
    public static RouteGroupBuilder MapConsoleSession(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/console/session").WithTags("Console").ExcludeFromDescription()
            .RequireRateLimiting(AdminProtectionOptions.RateLimitPolicy);
        group.MapPost("/", SignInAsync);
        group.MapDelete("/", SignOutAsync);
        group.MapGet("/", (Delegate)Status);
        return group;
    }

    public static async Task<IResult> SignInAsync(HttpContext context, AdminKey key, AuthFailureThrottle throttle, IClusterClient cluster, TimeProvider time)
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
        ConsoleSession? session = null;
        if (key.Matches(presented))
        {
            session = ConsoleSession.Start(time.GetUtcNow(), grant: null);
        }
        else if (ApiKeyFormat.TryParse(presented, out var id, out var secret) && await cluster.GetGrain<IApiKeyGrain>(id).VerifyAsync(secret) is { } grant)
        {
            session = ConsoleSession.Start(time.GetUtcNow(), grant);
        }

        if (session is null)
        {
            throttle.RecordFailure(context);
            return TypedResults.Unauthorized();
        }

        context.Response.Cookies.Append(AdminSchemes.SessionCookie, session.ToCookie(key), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            MaxAge = ConsoleSession.Lifetime,
        });
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Ends the session on every Gateway (its id is revoked in the database) and drops the cookie. If the database
    /// cannot record that, the answer is 503 and the cookie stays, so the browser knows the session still holds.
    /// </summary>
    public static async Task<NoContent> SignOutAsync(HttpContext context, AdminKey key, ConsoleSessionRevocations revocations, TimeProvider time)
    {
        if (context.Request.Cookies.TryGetValue(AdminSchemes.SessionCookie, out var cookie) && ConsoleSession.TryRead(cookie, key, time.GetUtcNow(), out var session))
        {
            await revocations.RevokeAsync(session);
        }

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
