using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Webhooks;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Authorization;

namespace HorizonAI.Gateway.Access.Authorization;

public sealed class KeyRateLimitHandler(ApiKeyRateLimiter limiter) : AuthorizationHandler<KeyRateLimitRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, KeyRateLimitRequirement requirement)
    {
        var principal = AccessPrincipal.FromClaims(context.User);
        var retryAfter = TimeSpan.Zero;
        if (principal is null || principal.IsAdmin || limiter.TryAcquire(principal.KeyId, out retryAfter))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new KeyRateLimited(this, retryAfter));
        }

        return Task.CompletedTask;
    }
}
