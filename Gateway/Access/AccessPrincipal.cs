using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Gateway.Access;

/// <summary>
/// Who made an admin request: the admin key (every bot, every route) or a scoped key (its bots, by id; its role). Only
/// its id is ever logged or audited, never the key.
/// </summary>
public sealed record AccessPrincipal(string KeyId, string Name, string Role, IReadOnlySet<string>? Bots)
{
    public const string AdminKeyId = "admin";

    private const string ItemKey = "horizonai.principal";

    public static AccessPrincipal Admin { get; } = new(AdminKeyId, "admin key", ApiKeyRoles.Admin, null);

    public bool IsAdmin => Bots is null;

    /// <summary>Whether the principal may see the bot <paramref name="botId"/> (see <see cref="BotScope"/> for numbers).</summary>
    public bool CanSee(string botId) => Bots is null || Bots.Contains(botId);

    public bool Allows(string role) => ApiKeyRoles.Rank(Role) >= ApiKeyRoles.Rank(role);

    public static AccessPrincipal From(ApiKeyGrant grant) =>
        new(grant.KeyId, grant.Name, grant.Role, new HashSet<string>(grant.Bots, StringComparer.Ordinal));

    /// <summary>The principal that authenticated this request (every admin route has one).</summary>
    public static AccessPrincipal Of(HttpContext context)
    {
        if (context.Items[ItemKey] is AccessPrincipal known)
        {
            return known;
        }

        var principal = FromClaims(context.User) ?? throw new InvalidOperationException("The request passed no access check");
        context.Items[ItemKey] = principal;
        return principal;
    }

    /// <summary>The principal an admin scheme's claims describe (see <see cref="Authentication.AdminSchemes"/>); null when unauthenticated.</summary>
    public static AccessPrincipal? FromClaims(System.Security.Claims.ClaimsPrincipal user)
    {
        if (user.FindFirst(Authentication.AdminSchemes.KeyIdClaim)?.Value is not { } keyId)
        {
            return null;
        }

        var role = user.FindFirst(Authentication.AdminSchemes.RoleClaim)?.Value ?? ApiKeyRoles.Read;
        var name = user.FindFirst(Authentication.AdminSchemes.NameClaim)?.Value ?? keyId;
        return role == ApiKeyRoles.Admin
            ? Admin
            : new AccessPrincipal(keyId, name, role, new HashSet<string>(user.FindAll(Authentication.AdminSchemes.BotClaim).Select(c => c.Value), StringComparer.Ordinal));
    }
}
