using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Webhooks;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Authorization;

namespace HorizonAI.Gateway.Access.Authorization;

public sealed class BotScopeHandler(BotRoster roster) : AuthorizationHandler<BotScopeRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, BotScopeRequirement requirement)
    {
        var principal = AccessPrincipal.FromClaims(context.User);
        if (principal is null || context.Resource is not HttpContext http || RouteBot(http) is not { } bot
            || await principal.SeesAsync(bot, roster, http.RequestAborted))
        {
            context.Succeed(requirement);
            return;
        }

        context.Fail(new OutsideScope(this, bot));
    }

    /// <summary>The route's bot in E.164, or null when the route has none or it is not a number (the route answers that).</summary>
    public static string? RouteBot(HttpContext context) => RouteNumber(context, "number");

    public static string? RouteNumber(HttpContext context, string name) =>
        context.Request.RouteValues[name] is string value && PhoneNumberParser.TryNormalize(value, out var e164) ? e164 : null;
}
