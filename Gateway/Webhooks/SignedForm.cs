using Microsoft.Extensions.Primitives;

namespace HorizonAI.Gateway.Webhooks;

/// <summary>
/// What a Twilio webhook's handler starts from: the posted form, read within the body limit and signed with the
/// account's auth token, its fields as the webhook describes them (a subclass: <see cref="InboundMessageForm"/>,
/// <see cref="StatusCallbackForm"/>, whose rules are DataAnnotations), and the request's budget for storing what it says
/// (<see cref="WebhookStore"/>), started on arrival. <see cref="TwilioWebhookFilter"/> fills it in and validates it
/// before the handler runs; a request it refuses never reaches the handler, so a handler never sees an unchecked field.
/// </summary>
public abstract class SignedForm
{
    private IFormCollection? _fields;

    /// <summary>Every posted field, as signed.</summary>
    public IFormCollection Fields => _fields ?? throw new InvalidOperationException(
        $"The form was not checked: the webhook route needs {nameof(TwilioWebhookFilter)} on its group");

    /// <summary>Cancelled when the request's storage budget ends, or when Twilio goes away.</summary>
    public CancellationToken Budget { get; private set; }

    public StringValues this[string field] => Fields[field];

    /// <summary>The form is read and its signature valid (<see cref="TwilioWebhookFilter"/> only); its fields are read next.</summary>
    internal void Accept(IFormCollection fields, CancellationToken budget)
    {
        _fields = fields;
        Budget = budget;
        Read(fields);
    }

    /// <summary>Sets the described fields from the signed form (they are validated afterwards).</summary>
    protected abstract void Read(IFormCollection fields);
}
