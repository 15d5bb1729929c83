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

    /// <summary>The principal the admin filter found for this request (every admin route has one).</summary>
    public static AccessPrincipal Of(HttpContext context) =>
        context.Items[ItemKey] as AccessPrincipal ?? throw new InvalidOperationException("The request passed no access check");

    public void AttachTo(HttpContext context) => context.Items[ItemKey] = this;
}

/// <summary>The least role a route needs (read when a route names none).</summary>
public sealed record RequiredRole(string Role);

/// <summary>A read that is audited like a write (a transcript).</summary>
public sealed record AuditedRead;

public static class AccessEndpointExtensions
{
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, string role)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredRole(role));

    public static TBuilder Audited<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AuditedRead());
}
