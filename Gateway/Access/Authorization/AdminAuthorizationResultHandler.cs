using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace HorizonAI.Gateway.Access.Authorization;

/// <summary>
/// Turns a refused authorization into the admin API's answer: the refusal that takes precedence (429, 404, 403) as an
/// RFC 7807 problem, audited like the request would have been; a missing or wrong key is the scheme's challenge.
/// </summary>
public sealed class AdminAuthorizationResultHandler(AuditTrail audit) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden
            && authorizeResult.AuthorizationFailure?.FailureReasons.OfType<AccessRefusal>().MinBy(r => r.Precedence) is { } refusal)
        {
            var answer = refusal.Answer(context);
            if (refusal is not KeyRateLimited && AdminAccessExtensions.IsAudited(context) && AccessPrincipal.FromClaims(context.User) is { } principal)
            {
                await audit.RecordAsync(context, principal, BotScopeHandler.RouteBot(context), BotScopeHandler.RouteNumber(context, "user"), answer);
            }

            await answer.ExecuteAsync(context);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
