using HorizonAI.Gateway.Infrastructure;
using HorizonAI.ServiceDefaults.Telemetry;

namespace HorizonAI.Gateway.Webhooks;

/// <summary>
/// The prologue of every Twilio webhook, once on the route group: start the request's storage budget, read the form
/// within <see cref="TwilioWebhookEndpoints.MaxBodyBytes"/> (413, 415 or 400 otherwise) and check its
/// <c>X-Twilio-Signature</c> over every field (403 otherwise), then the fields the handler's form describes (400 naming
/// each bad field), each refusal logged and counted by its reason. The handler then starts from its <see cref="SignedForm"/>.
/// </summary>
public sealed class TwilioWebhookFilter(
    TwilioSignatureValidator signatures, RequestValidator validator, WebhookStore store, HorizonMetrics metrics, ILoggerFactory loggers) : IEndpointFilter
{
    private readonly ILogger _logger = loggers.CreateLogger(typeof(TwilioWebhookEndpoints));

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var signed = invocation.Arguments.OfType<SignedForm>().SingleOrDefault()
            ?? throw new InvalidOperationException($"A webhook handler takes a {nameof(SignedForm)}");

        // Counted from arrival: reading the form and waiting for an admission permit spend it too.
        using var budget = store.StartBudget(context.RequestAborted);
        var (form, rejection) = await WebhookForms.ReadAsync(context, TwilioWebhookEndpoints.MaxBodyBytes);
        if (form is null)
        {
            TwilioWebhookEndpoints.Reject(_logger, metrics, rejection!.Reason);
            return rejection.Result;
        }

        if (!signatures.IsValid(context.Request, form))
        {
            TwilioWebhookEndpoints.Reject(_logger, metrics, "bad_signature");
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Invalid or missing X-Twilio-Signature");
        }

        signed.Accept(form, budget.Token);
        if (await validator.ValidateFormAsync(signed, context.RequestServices, context.RequestAborted) is { Count: > 0 } errors)
        {
            TwilioWebhookEndpoints.Reject(_logger, metrics, "invalid_fields");
            return TypedResults.ValidationProblem(errors);
        }

        return await next(invocation);
    }
}
