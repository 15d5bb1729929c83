namespace HorizonAI.Gateway.Infrastructure;

/// <summary>
/// Answers an admin request whose JSON body could not be read, or whose document breaks its rules, with a 400 problem
/// that names each bad field by its JSON path, before the handler runs (see <see cref="JsonBody"/> and
/// <see cref="RequestValidator"/>). Rules that need the cluster (does the bot have that template?) stay in the handlers.
/// </summary>
public sealed class RequestValidationFilter(RequestValidator validator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (JsonBody.ErrorsOf(context) is { } unreadable)
        {
            return TypedResults.ValidationProblem(unreadable);
        }

        if (JsonBody.DocumentOf(context) is { } document
            && await validator.ValidateAsync(document, context.RequestServices, context.RequestAborted) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await next(invocation);
    }
}
