namespace HorizonAI.Gateway.Access.Authentication;

/// <summary>
/// The admin surface's authentication schemes: the admin key and scoped <c>hzk_…</c> keys as bearer tokens, and the
/// console's session cookie (browsers cannot add headers to a navigation). <see cref="Any"/> picks the one that
/// applies to a request: the bearer header first, then the cookie.
/// </summary>
public static class AdminSchemes
{
    public const string Any = "horizonai";
    public const string AdminKey = "horizonai.admin-key";
    public const string ApiKey = "horizonai.api-key";
    public const string ConsoleSession = "horizonai.console-session";

    public const string SessionCookie = "horizonai_admin";

    /// <summary>The claims an admin principal carries: its key's id, its role, and for a scoped key each bot id it may see.</summary>
    public const string KeyIdClaim = "horizonai:key_id";
    public const string NameClaim = "horizonai:name";
    public const string RoleClaim = "horizonai:role";
    public const string BotClaim = "horizonai:bot";

    public static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        return header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? header[prefix.Length..].Trim() : null;
    }

    /// <summary>Whether the request presents a key or a session at all (a missing one is not a guess).</summary>
    public static bool PresentsCredentials(HttpContext context) =>
        BearerToken(context.Request) is not null || context.Request.Cookies.ContainsKey(SessionCookie);

    /// <summary>The scheme that reads this request's credentials (bearer first), for <see cref="Any"/>.</summary>
    public static string Select(HttpContext context) =>
        BearerToken(context.Request) is { } bearer
            ? !context.RequestServices.GetRequiredService<AdminKey>().Matches(bearer) && HorizonAI.Grains.Interfaces.ApiKeyFormat.TryParse(bearer, out _, out _) ? ApiKey : AdminKey
            : ConsoleSession;
}
