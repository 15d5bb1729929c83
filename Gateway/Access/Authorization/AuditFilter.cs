namespace HorizonAI.Gateway.Access.Authorization;

/// <summary>
/// Records every admin write and audited read that passed authorization with its answer; one that throws is on record
/// as a 500 (it may have done part of its work). Refusals are recorded by <see cref="AdminAuthorizationResultHandler"/>.
/// </summary>
public sealed class AuditFilter(AuditTrail audit) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (!AdminAccessExtensions.IsAudited(context))
        {
            return await next(invocation);
        }

        var principal = AccessPrincipal.Of(context);
        var (bot, user) = (BotScopeHandler.RouteBot(context), BotScopeHandler.RouteNumber(context, "user"));
        object? result;
        try
        {
            result = await next(invocation);
        }
        catch (Exception)
        {
            await audit.RecordAsync(context, principal, bot, user, TypedResults.StatusCode(StatusCodes.Status500InternalServerError));
            throw;
        }

        await audit.RecordAsync(context, principal, bot, user, result);
        return result;
    }
}
