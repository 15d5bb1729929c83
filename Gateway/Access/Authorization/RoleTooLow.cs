using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Webhooks;
using HorizonAI.Grains.Interfaces;
using Microsoft.AspNetCore.Authorization;

namespace HorizonAI.Gateway.Access.Authorization;

public sealed class RoleTooLow(IAuthorizationHandler handler, string role, string required) : AccessRefusal(handler, "role too low", 2)
{
    public override IResult Answer(HttpContext context) => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
        title: $"This key's role ({role}) does not allow this: {required} is required");
}
