using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using HorizonAI.Grains.Storage;
using HorizonAI.ServiceDefaults.Logging;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Webhooks;

/// <summary>
/// Tells a business that a conversation passed to a person: a JSON POST to the bot's handoff webhook, signed with an
/// HMAC-SHA256 of the bot's secret over <c>{timestamp}.{body}</c> (header <c>X-HorizonAI-Signature: t=…,v1=…</c>),
/// on the resilient upstream pipeline (timeouts, retries with backoff; redirects are not followed). A notice that
/// still fails is logged and counted, and not tried again: the conversation is in human mode all the same.
/// </summary>
public sealed partial class HandoffNotifier(IHttpClientFactory clients, HorizonMetrics metrics, TimeProvider time, ILogger<HandoffNotifier> logger)
{
    public const string HttpClientName = "handoff-webhook";
    public const string SignatureHeader = WebhookSignature.Header;
    public const string DeliveryHeader = "X-HorizonAI-Delivery";

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>Sends the notice; true when the webhook answered 2xx.</summary>
    public async Task<bool> NotifyAsync(BotDefinition bot, string userNumber, HumanMode handoff, CancellationToken cancellationToken)
    {
        if (bot.HandoffWebhookUrl is not { } url)
        {
            return false;
        }

        var user = PhoneMask.Mask(userNumber);
        var body = JsonSerializer.SerializeToUtf8Bytes(new HandoffNotice(
            "conversation.handoff", bot.PhoneNumber, bot.Name, userNumber, handoff.Trigger, handoff.Reason, handoff.By, handoff.Since,
            $"/bots/{bot.PhoneNumber}/conversations/{Uri.EscapeDataString(userNumber)}"), Json);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(SignatureHeader, WebhookSignature.HeaderValue(bot.HandoffWebhookSecret ?? "", timestamp, body));
        // The same for every attempt at one handoff, so the business can drop a repeat.
        request.Headers.Add(DeliveryHeader, DeliveryId(bot.PhoneNumber, userNumber, handoff.Since));
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                LogNotified(bot.PhoneNumber, user, (int)response.StatusCode);
                metrics.HandoffNotice(bot.PhoneNumber, "delivered");
                return true;
            }

            LogRefused(bot.PhoneNumber, user, (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.ExecutionRejectedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogFailed(bot.PhoneNumber, user, UpstreamFailure.From(ex).Reason);
        }

        metrics.HandoffNotice(bot.PhoneNumber, "failed");
        return false;
    }

    private static string DeliveryId(string botNumber, string userNumber, DateTimeOffset since) =>
        "hd_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{botNumber}|{userNumber}|{since.UtcTicks}")))[..32];

    [LoggerMessage(EventId = 2030, Level = LogLevel.Information, Message = "Bot {BotNumber}: handoff webhook told of {User} ({Status})")]
    private partial void LogNotified(string botNumber, string user, int status);

    [LoggerMessage(EventId = 2031, Level = LogLevel.Warning, Message = "Bot {BotNumber}: handoff webhook refused the notice of {User} ({Status}); not sent again")]
    private partial void LogRefused(string botNumber, string user, int status);

    [LoggerMessage(EventId = 2032, Level = LogLevel.Warning, Message = "Bot {BotNumber}: handoff webhook unreachable for {User} ({Reason}); not sent again")]
    private partial void LogFailed(string botNumber, string user, string reason);
}

/// <summary>The body of a handoff notice.</summary>
public sealed record HandoffNotice(
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("bot_number")] string BotNumber,
    [property: JsonPropertyName("bot_name")] string BotName,
    [property: JsonPropertyName("user_number")] string UserNumber,
    [property: JsonPropertyName("trigger")] string Trigger,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("by")] string? By,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("conversation")] string Conversation);
