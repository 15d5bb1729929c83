using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Gateway.Infrastructure;

/// <summary>
/// Answers an admin request whose JSON body could not be read, or whose document breaks its rules, or whose query
/// (a handler's <c>[AsParameters]</c> type) breaks its rules, with a 400 problem that names each bad field by its JSON
/// path, before the handler runs (see <see cref="JsonBody"/> and <see cref="RequestValidator"/>). Rules that need the
/// cluster (does the bot have that template?) stay in the handlers.
/// </summary>
public sealed class RequestValidationFilter(RequestValidator validator, int[] queries) : IEndpointFilter
{
    /// <summary>The filter for one handler: its <c>[AsParameters]</c> arguments are the queries it validates.</summary>
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext factory, EndpointFilterDelegate next)
    {
        var queries = factory.MethodInfo.GetParameters()
            .Where(p => p.IsDefined(typeof(AsParametersAttribute), inherit: false))
            .Select(p => p.Position)
            .ToArray();
        var filter = new RequestValidationFilter(factory.ApplicationServices.GetRequiredService<RequestValidator>(), queries);
        return invocation => filter.InvokeAsync(invocation, next);
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (JsonBody.ErrorsOf(context) is { } unreadable)
        {
            return TypedResults.ValidationProblem(unreadable);
        }

        if (JsonBody.DocumentOf(context) is { } document && await ProblemAsync(document, context) is { } invalid)
        {
            return invalid;
        }

        foreach (var index in queries)
        {
            if (invocation.Arguments[index] is { } query && await ProblemAsync(query, context) is { } invalidQuery)
            {
                return invalidQuery;
            }
        }

        return await next(invocation);
    }

    private async ValueTask<ValidationProblem?> ProblemAsync(object document, HttpContext context) =>
        await validator.ValidateAsync(document, context.RequestServices, context.RequestAborted) is { Count: > 0 } errors
            ? TypedResults.ValidationProblem(errors)
            : null;
}
