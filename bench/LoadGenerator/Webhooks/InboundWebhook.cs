using System.Text;

namespace HorizonAI.LoadGenerator.Webhooks;

/// <summary>
/// One inbound WhatsApp message as Twilio posts it: the fields the platform reads plus the others Twilio always
/// sends, so the form has a real webhook's size and field count (both feed the signature check and form parsing).
/// </summary>
public sealed record InboundWebhook(string MessageSid, string AccountSid, string BotNumber, string UserNumber, string Body)
{
    public IReadOnlyList<KeyValuePair<string, string>> Fields() =>
    [
        new("SmsMessageSid", MessageSid),
        new("NumMedia", "0"),
        new("ProfileName", "Bench User"),
        new("MessageType", "text"),
        new("SmsSid", MessageSid),
        new("WaId", UserNumber.TrimStart('+')),
        new("SmsStatus", "received"),
        new("Body", Body),
        new("To", "whatsapp:" + BotNumber),
        new("NumSegments", "1"),
        new("ReferralNumMedia", "0"),
        new("MessageSid", MessageSid),
        new("AccountSid", AccountSid),
        new("From", "whatsapp:" + UserNumber),
        new("ApiVersion", "2010-04-01"),
    ];

    /// <summary>The <c>application/x-www-form-urlencoded</c> body.</summary>
    public static byte[] Encode(IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        var body = new StringBuilder(512);
        foreach (var (key, value) in fields)
        {
            if (body.Length > 0)
            {
                body.Append('&');
            }

            body.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return Encoding.UTF8.GetBytes(body.ToString());
    }
}
