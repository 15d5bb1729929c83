namespace HorizonAI.Sandbox.Faults;

/// <summary>Applies one upstream's fault switches before the endpoint runs.</summary>
internal sealed class FaultFilter(Func<SandboxState, UpstreamFaults> select, Func<FaultPlan, IResult> failure)
    : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var state = context.HttpContext.RequestServices.GetRequiredService<SandboxState>();
        var injected = await FaultGate.ApplyAsync(select(state), context.HttpContext, failure);
        return injected ?? await next(context);
    }
}
