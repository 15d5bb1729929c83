using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Webhooks;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Authorization;

namespace HorizonAI.Gateway.Access.Authorization;

public sealed class RoleHandler : AuthorizationHandler<RoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleRequirement requirement)
    {
        var principal = AccessPrincipal.FromClaims(context.User);
        if (principal is null || principal.Allows(requirement.Role))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new RoleTooLow(this, principal.Role, requirement.Role));
        }

        return Task.CompletedTask;
    }
}
