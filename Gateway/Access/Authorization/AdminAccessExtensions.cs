using HorizonAI.Gateway.Access.Authentication;
using HorizonAI.Gateway.Hosting;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace HorizonAI.Gateway.Access.Authorization;

/// <summary>
/// The admin surface on ASP.NET Core's own building blocks: an authentication handler per scheme (the admin key, scoped
/// keys, the console's session cookie), one policy on every admin route group (authenticated, within its key's rate
/// limit, the route's bot in the key's scope, at least the read role) and a role requirement on the routes that need
/// more. The answers, in this order, each an RFC 7807 problem: 429 while the client is locked out after failed
/// attempts, 401 without a valid key, 429 past the key's own rate limit, 404 for a bot outside the key's scope (as for
/// a bot that does not exist), 403 below the route's role. Writes and transcript reads are audited, refusals included.
/// </summary>
public static class AdminAccessExtensions
{
    public const string Policy = "horizonai.admin";

    public static IServiceCollection AddAdminAccess(this IServiceCollection services)
    {
        services.AddAuthentication()
            .AddPolicyScheme(AdminSchemes.Any, "Admin API key or console session", options => options.ForwardDefaultSelector = AdminSchemes.Select)
            .AddScheme<AuthenticationSchemeOptions, AdminKeyAuthenticationHandler>(AdminSchemes.AdminKey, null)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AdminSchemes.ApiKey, null)
            .AddScheme<AuthenticationSchemeOptions, ConsoleSessionAuthenticationHandler>(AdminSchemes.ConsoleSession, null);
        services.AddSingleton<ConsoleSessionRevocations>();
        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(AdminSchemes.Any)
            .RequireAuthenticatedUser()
            .AddRequirements(new KeyRateLimitRequirement(), new BotScopeRequirement(), new RoleRequirement(ApiKeyRoles.Read)));
        services.AddScoped<IAuthorizationHandler, KeyRateLimitHandler>();
        services.AddScoped<IAuthorizationHandler, BotScopeHandler>();
        services.AddSingleton<IAuthorizationHandler, RoleHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AdminAuthorizationResultHandler>();
        return services;
    }

    /// <summary>
    /// Every route of the group needs an admin principal (see the class); its writes are audited; its <c>{number}</c>
    /// arrives in E.164; its JSON body arrives read and validated, or the request is answered 400 naming each bad field
    /// by its JSON path (<see cref="Infrastructure.RequestValidationFilter"/>, in place of the framework's own validation
    /// filter, which names C# properties).
    /// </summary>
    public static RouteGroupBuilder RequireAdminAccess(this RouteGroupBuilder group)
    {
        group.RequireRateLimiting(AdminProtectionOptions.RateLimitPolicy);
        group.WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(Bots.BotEndpoints.MaxBodyBytes));
        group.RequireAuthorization(Policy);
        group.AddEndpointFilter<AuditFilter>();
        group.AddEndpointFilterFactory(Infrastructure.RouteNumberFilter.Create);
        group.AddEndpointFilterFactory(Infrastructure.RequestValidationFilter.Create);
        group.DisableValidation();
        return group;
    }

    /// <summary>The route needs at least <paramref name="role"/> (the group's policy asks for read).</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, string role)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(new AuthorizationPolicyBuilder(AdminSchemes.Any).AddRequirements(new RoleRequirement(role)).Build());

    public static TBuilder Audited<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AuditedRead());

    /// <summary>Writes, and the reads marked <see cref="Audited{TBuilder}"/>.</summary>
    public static bool IsAudited(HttpContext context) =>
        (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        || context.GetEndpoint()?.Metadata.GetMetadata<AuditedRead>() is not null;
}
