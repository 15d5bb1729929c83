using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Webhooks;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Authorization;

namespace HorizonAI.Gateway.Access.Authorization;

/// <summary>Why a request was refused, in the order the answers take precedence: 429, then 404, then 403.</summary>
public abstract class AccessRefusal(IAuthorizationHandler handler, string message, int precedence) : AuthorizationFailureReason(handler, message)
{
    public int Precedence { get; } = precedence;

    public abstract IResult Answer(HttpContext context);
}
