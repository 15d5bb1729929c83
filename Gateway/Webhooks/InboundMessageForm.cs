using System.ComponentModel.DataAnnotations;
using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Infrastructure.Validation;
using Microsoft.Extensions.Validation;

namespace HorizonAI.Gateway.Webhooks;

/// <summary>
/// The form Twilio posts to <c>/webhook/whatsapp</c> for a user's message, as the handler reads it: the fields it needs
/// with their rules (a bad one is answered 400 naming the field as Twilio does) and the rest cleaned rather than refused.
/// </summary>
[ValidatableType]
public sealed class InboundMessageForm : SignedForm
{
    /// <summary>Twilio sends at most ten media items with one message.</summary>
    public const int MaxMedia = 10;

    private const string FromRule = "From must be a phone number such as whatsapp:+56912345678";
    private const string ToRule = "To must be a phone number such as whatsapp:+15551111111";

    [Required(ErrorMessage = "MessageSid is required")]
    [TwilioSid]
    public string? MessageSid { get; private set; }

    /// <summary>The user, <c>whatsapp:+…</c>.</summary>
    [Required(ErrorMessage = FromRule)]
    [PhoneNumber(ErrorMessage = FromRule)]
    public string? From { get; private set; }

    /// <summary>The bot's number, <c>whatsapp:+…</c>.</summary>
    [Required(ErrorMessage = ToRule)]
    [PhoneNumber(ErrorMessage = ToRule)]
    public string? To { get; private set; }

    /// <summary><see cref="From"/> in E.164, once the form is valid.</summary>
    public string UserNumber => PhoneNumberParser.Normalize(From);

    /// <summary><see cref="To"/> in E.164, once the form is valid.</summary>
    public string BotNumber => PhoneNumberParser.Normalize(To);

    /// <summary>The text, without what PostgreSQL cannot hold.</summary>
    public string Body { get; private set; } = "";

    /// <summary>The user's WhatsApp name, when Twilio sends one.</summary>
    public string? ProfileName { get; private set; }

    /// <summary>Each media item (at most ten): its URL and content type, fetched later by the conversation's turn.</summary>
    public IReadOnlyList<(string Url, string ContentType)> Media { get; private set; } = [];

    public static ValueTask<InboundMessageForm?> BindAsync(HttpContext context) => ValueTask.FromResult<InboundMessageForm?>(new InboundMessageForm());

    protected override void Read(IFormCollection fields)
    {
        MessageSid = fields["MessageSid"].ToString();
        From = fields["From"];
        To = fields["To"];
        Body = TextInput.Clean(fields["Body"].ToString());
        ProfileName = fields["ProfileName"].ToString() is { Length: > 0 } name ? TextInput.Clean(name) : null;
        _ = int.TryParse(fields["NumMedia"], out var count);
        Media = Enumerable.Range(0, Math.Clamp(count, 0, MaxMedia))
            .Select(i => (Url: TextInput.Clean(fields["MediaUrl" + i].ToString()), ContentType: TextInput.Clean(fields["MediaContentType" + i].ToString()).ToLowerInvariant()))
            .Where(m => m.Url.Length > 0)
            .ToArray();
    }
}
