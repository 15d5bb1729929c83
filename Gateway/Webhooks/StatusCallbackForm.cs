using System.ComponentModel.DataAnnotations;
using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Infrastructure.Validation;
using Microsoft.Extensions.Validation;

namespace HorizonAI.Gateway.Webhooks;

/// <summary>The form Twilio posts to <c>/webhook/status</c> when one of our messages changes status, as the handler reads it.</summary>
[ValidatableType]
public sealed class StatusCallbackForm : SignedForm
{
    [Required(ErrorMessage = TwilioSidAttribute.Rule)]
    [TwilioSid]
    public string? MessageSid { get; private set; }

    /// <summary>In lower case.</summary>
    [DeliveryStatus]
    public string? MessageStatus { get; private set; }

    /// <summary>Twilio's error number for a failed or undelivered message; null without one.</summary>
    [RegularExpression("[0-9]{1,10}", ErrorMessage = "ErrorCode must be a Twilio error number")]
    public string? ErrorCode { get; private set; }

    /// <summary>The bot's number the message went from, in E.164 (<c>unknown</c> when it is none: the SID finds the message).</summary>
    public string BotNumber { get; private set; } = "unknown";

    public static ValueTask<StatusCallbackForm?> BindAsync(HttpContext context) => ValueTask.FromResult<StatusCallbackForm?>(new StatusCallbackForm());

    protected override void Read(IFormCollection fields)
    {
        MessageSid = fields["MessageSid"].ToString();
        MessageStatus = fields["MessageStatus"].ToString().ToLowerInvariant();
        ErrorCode = fields["ErrorCode"].ToString() is { Length: > 0 } code ? code : null;
        BotNumber = PhoneNumberParser.TryNormalize(fields["From"], out var from) ? from : "unknown";
    }
}
