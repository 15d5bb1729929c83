using Microsoft.Extensions.Primitives;

namespace HorizonAI.Gateway.Webhooks;

/// <summary>
/// What a Twilio webhook's handler starts from: the posted form, read within the body limit and signed with the
/// account's auth token, and the request's budget for storing what it says (<see cref="WebhookStore"/>), started on
/// arrival. <see cref="TwilioWebhookFilter"/> fills it in before the handler runs; a request it refuses never reaches
/// the handler, so a handler never sees an unchecked field.
/// </summary>
public sealed class SignedForm
{
    private IFormCollection? _fields;

    private SignedForm()
    {
    }

    /// <summary>Every posted field, as signed.</summary>
    public IFormCollection Fields => _fields ?? throw new InvalidOperationException(
        $"The form was not checked: the webhook route needs {nameof(TwilioWebhookFilter)} on its group");

    /// <summary>Cancelled when the request's storage budget ends, or when Twilio goes away.</summary>
    public CancellationToken Budget { get; private set; }

    public StringValues this[string field] => Fields[field];

    /// <summary>An unchecked form for the filter to fill in (binding runs before the filters).</summary>
    public static ValueTask<SignedForm?> BindAsync(HttpContext context) => ValueTask.FromResult<SignedForm?>(new SignedForm());

    /// <summary>The form is read and its signature valid (<see cref="TwilioWebhookFilter"/> only).</summary>
    internal void Accept(IFormCollection fields, CancellationToken budget)
    {
        _fields = fields;
        Budget = budget;
    }
}
