namespace HorizonAI.Sandbox.Faults;

/// <summary>
/// Counts every error answer of a route group, whichever filter or handler produced it, so that tests can see
/// refused attempts that left no record.
/// </summary>
internal sealed class RejectionCounter(Action<SandboxState> count) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);

        // Handlers return Results<…> unions; the status is on the result inside.
        var answered = result is INestedHttpResult nested ? nested.Result : result;
        if (answered is IStatusCodeHttpResult { StatusCode: >= 400 })
        {
            count(context.HttpContext.RequestServices.GetRequiredService<SandboxState>());
        }

        return result;
    }
}
