using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Rest.Messaging.V2;
using Twilio.Types;

namespace HorizonAI.Grains.WhatsApp;

/// <summary>Sends through the official Twilio SDK with our own <see cref="ITwilioRestClient"/> (no global static state).</summary>
public sealed class TwilioWhatsAppSender(ITwilioRestClient client, IOptions<ReplyOptions> replyOptions) : IWhatsAppSender
{
    public async Task<SentMessage> SendAsync(
        string botNumber, string userNumber, string body, string? mediaUrl, (string ContentSid, string? Variables)? template, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var statusCallback = replyOptions.Value.StatusCallbackUrl;
        var message = await MessageResource.CreateAsync(
            to: new PhoneNumber("whatsapp:" + userNumber),
            from: new PhoneNumber("whatsapp:" + botNumber),
            body: template is not null || (body.Length == 0 && mediaUrl is not null) ? null : body,
            mediaUrl: mediaUrl is null ? null : [new Uri(mediaUrl)],
            statusCallback: statusCallback,
            contentSid: template?.ContentSid,
            contentVariables: template?.Variables,
            client: client);
        return new SentMessage(message.Sid, message.Status?.ToString() ?? "queued");
    }

    public async Task<IReadOnlyList<ListedMessage>> ListSentAsync(string botNumber, string userNumber, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // No DateSent filter: a message Twilio has only queued has no date_sent yet, and those are the ones looked for.
        var messages = await MessageResource.ReadAsync(new ReadMessageOptions
        {
            To = new PhoneNumber("whatsapp:" + userNumber),
            From = new PhoneNumber("whatsapp:" + botNumber),
            PageSize = 50,
            Limit = 50,
        }, client);
        return [.. messages.Select(m => new ListedMessage(m.Sid, m.Status?.ToString() ?? "queued", m.Body ?? "",
            m.DateCreated is { } created ? new DateTimeOffset(created.Kind == DateTimeKind.Local ? created.ToUniversalTime() : DateTime.SpecifyKind(created, DateTimeKind.Utc)) : DateTimeOffset.MinValue))];
    }

    public async Task SendTypingIndicatorAsync(string inboundMessageSid, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await TypingIndicatorResource.CreateAsync(TypingIndicatorResource.ChannelEnum.Whatsapp, inboundMessageSid, client);
    }
}
