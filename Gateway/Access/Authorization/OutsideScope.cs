using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Webhooks;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Authorization;

namespace HorizonAI.Gateway.Access.Authorization;

/// <summary>The same answer as for a bot that does not exist, so that another client's numbers cannot be probed.</summary>
public sealed class OutsideScope(IAuthorizationHandler handler, string bot) : AccessRefusal(handler, "bot outside the key's scope", 1)
{
    public override IResult Answer(HttpContext context) => AdminProblems.NoSuchBot(bot);
}
