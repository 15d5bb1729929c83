using HorizonAI.Gateway.Access;
using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Gateway.Hosting;

/// <summary>
/// Requires a key on every route of a group: <c>Authorization: Bearer &lt;key&gt;</c> for scripts, or the session cookie
/// that the console's sign-in sets for browsers (which cannot add headers to a navigation). The key is the admin key
/// (every bot, every route) or a scoped key (<c>hzk_…</c>: its bots, its role). In that order, a request is refused
/// with 429 while its client is locked out after failed attempts, 401 without a valid key, 429 past its key's own
/// rate limit, 404 for a bot outside the key's scope (the same answer as for a bot that does not exist, so numbers
/// cannot be probed), and 403 when the key's role is below the route's. Every write and every transcript read that
/// passed authentication is then written to the audit log with its outcome.
/// </summary>
public static class AdminAuthorization
{
    public const string SessionCookie = "horizonai_admin";

    /// <summary>
    /// A scoped key's session cookie is <c>k.&lt;key id&gt;.&lt;expiry&gt;.&lt;token&gt;.&lt;signature&gt;</c>: the key's token
    /// (which ends with a rotation or revocation), until when it holds, signed with a key of the Gateway's own; the admin
    /// key's cookie is base64, without dots.
    /// </summary>
    private const string ScopedSessionPrefix = "k.";

    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    public static RouteGroupBuilder RequireAdminKey(this RouteGroupBuilder group)
    {
        group.RequireRateLimiting(AdminProtectionOptions.RateLimitPolicy);
        group.WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(Bots.BotEndpoints.MaxBodyBytes));
        group.AddEndpointFilter(CheckAsync);
        return group;
    }

    private static async ValueTask<object?> CheckAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var (principal, refusal) = await AuthenticateAsync(context);
        if (principal is null)
        {
            return refusal;
        }

        if (!principal.IsAdmin && !context.RequestServices.GetRequiredService<ApiKeyRateLimiter>().TryAcquire(principal.KeyId, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "This key made too many requests in the last minute; try again later");
        }

        principal.AttachTo(context);
        var endpoint = context.GetEndpoint();
        var required = endpoint?.Metadata.GetMetadata<RequiredRole>()?.Role ?? ApiKeyRoles.Read;
        var bot = RouteNumber(context, "number");
        object? result;
        if (bot is not null && !await principal.SeesAsync(bot, context.RequestServices.GetRequiredService<Webhooks.BotRoster>(), context.RequestAborted))
        {
            result = AdminProblems.NoSuchBot(bot);
        }
        else if (!principal.Allows(required))
        {
            result = TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
                title: $"This key's role ({principal.Role}) does not allow this: {required} is required");
        }
        else
        {
            try
            {
                result = await next(invocation);
            }
            catch (Exception) when (IsAudited(context, endpoint))
            {
                // It may have done part of its work: the attempt is on record all the same.
                await context.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(context, principal, bot, RouteNumber(context, "user"),
                    TypedResults.StatusCode(StatusCodes.Status500InternalServerError));
                throw;
            }
        }

        if (IsAudited(context, endpoint))
        {
            await context.RequestServices.GetRequiredService<AuditTrail>().RecordAsync(context, principal, bot, RouteNumber(context, "user"), result);
        }

        return result;
    }

    private static bool IsAudited(HttpContext context, Endpoint? endpoint) =>
        (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)) || endpoint?.Metadata.GetMetadata<AuditedRead>() is not null;

    /// <summary>
    /// The principal of the request, or why not: 429 while the client is shut out after too many failures, else 401,
    /// counting the attempt as a failure.
    /// </summary>
    public static async Task<(AccessPrincipal? Principal, IResult? Refusal)> AuthenticateAsync(HttpContext context)
    {
        var throttle = context.RequestServices.GetRequiredService<AuthFailureThrottle>();
        if (throttle.IsBlocked(context, out var retryAfter))
        {
            return (null, TooManyFailures(context, retryAfter));
        }

        if (await FindPrincipalAsync(context) is { } principal)
        {
            return (principal, null);
        }

        throttle.RecordFailure(context);
        return (null, TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid API key is required (Authorization: Bearer <key>)"));
    }

    /// <summary>As <see cref="AuthenticateAsync"/>, for the admin key alone (the Orleans Dashboard): a scoped key gets 403.</summary>
    public static async Task<IResult?> AdminRefusalAsync(HttpContext context)
    {
        var (principal, refusal) = await AuthenticateAsync(context);
        return principal is null ? refusal
            : principal.IsAdmin ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only the admin key opens this");
    }

    /// <summary>Whether the request presents a key or a session at all (a missing one is not a guess).</summary>
    public static bool PresentsCredentials(HttpContext context) =>
        BearerToken(context.Request) is not null || context.Request.Cookies.ContainsKey(SessionCookie);

    public static IResult TooManyFailures(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed authentication attempts; try again later");
    }

    /// <summary>The admin key or a scoped key, from the bearer header (first) or the session cookie; null if neither is valid.</summary>
    public static async Task<AccessPrincipal?> FindPrincipalAsync(HttpContext context)
    {
        var key = context.RequestServices.GetRequiredService<AdminKey>();
        var cluster = context.RequestServices.GetRequiredService<IClusterClient>();
        if (BearerToken(context.Request) is { } bearer)
        {
            if (key.Matches(bearer))
            {
                return AccessPrincipal.Admin;
            }

            return ApiKeyFormat.TryParse(bearer, out var id, out var secret)
                && await cluster.GetGrain<IApiKeyGrain>(id).VerifyAsync(secret) is { } grant
                ? AccessPrincipal.From(grant)
                : null;
        }

        if (!context.Request.Cookies.TryGetValue(SessionCookie, out var session))
        {
            return null;
        }

        if (key.MatchesSession(session))
        {
            return AccessPrincipal.Admin;
        }

        return TryParseScopedSession(context, key, session, out var keyId, out var token)
            && await cluster.GetGrain<IApiKeyGrain>(keyId).VerifySessionAsync(token) is { } sessionGrant
            ? AccessPrincipal.From(sessionGrant)
            : null;
    }

    public static string ScopedSession(HttpContext context, AdminKey key, ApiKeyGrant grant)
    {
        var expires = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().Add(SessionLifetime).ToUnixTimeSeconds()
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        var payload = $"{grant.KeyId}.{expires}.{grant.SessionToken}";
        return $"{ScopedSessionPrefix}{payload}.{key.SignSession(payload)}";
    }

    private static bool TryParseScopedSession(HttpContext context, AdminKey key, string session, out string keyId, out string token)
    {
        keyId = token = "";
        if (!session.StartsWith(ScopedSessionPrefix, StringComparison.Ordinal) || session.Split('.') is not [_, var id, var expires, var value, var signature]
            || !ApiKeyFormat.IsId(id) || value.Length != 64 || !long.TryParse(expires, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var until)
            || until < context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds()
            || !key.SessionSignatureMatches($"{id}.{expires}.{value}", signature))
        {
            return false;
        }

        (keyId, token) = (id, value);
        return true;
    }

    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : null;
    }

    /// <summary>A route's phone number in E.164, or null when the route has none or it is not a number (the route answers that).</summary>
    private static string? RouteNumber(HttpContext context, string name) =>
        context.Request.RouteValues[name] is string value && PhoneNumberParser.TryNormalize(value, out var e164) ? e164 : null;
}
