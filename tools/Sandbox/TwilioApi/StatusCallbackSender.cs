using System.Globalization;
using HorizonAI.Sandbox.Diagnostics;

namespace HorizonAI.Sandbox.TwilioApi;

/// <summary>
/// Posts signed message status callbacks the way Twilio does: form-encoded, one request per status, no retries.
/// </summary>
internal sealed class StatusCallbackSender(
    IHttpClientFactory httpClients,
    SandboxState state,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers)
{
    public const string HttpClientName = "sandbox-status-callbacks";

    private readonly ILogger _logger = loggers.CreateLogger(SandboxLog.TwilioCategory);

    /// <summary>Starts posting <c>sent</c>, then <c>delivered</c> or <c>failed</c>, in the background.</summary>
    public void Start(SentMessage message, string signingKey) => _ = DeliverAsync(message, signingKey);

    private async Task DeliverAsync(SentMessage message, string signingKey)
    {
        var errorCode = state.StatusCallbackErrorCode;
        await PostAsync(message, "sent", null, signingKey);
        await PostAsync(message, errorCode is null ? "delivered" : "failed", errorCode, signingKey);
    }

    private async Task PostAsync(SentMessage message, string status, int? errorCode, string signingKey)
    {
        var url = message.StatusCallback!;
        var form = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", message.AccountSid),
            new("ApiVersion", "2010-04-01"),
            new("From", message.From),
            new("MessageSid", message.Sid),
            new("MessageStatus", status),
            new("SmsSid", message.Sid),
            new("SmsStatus", status),
            new("To", message.To),
        };
        if (errorCode is { } code)
        {
            form.Add(new("ErrorCode", code.ToString(CultureInfo.InvariantCulture)));
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
            request.Headers.TryAddWithoutValidation("X-Twilio-Signature", TwilioSignature.Compute(signingKey, url, form));
            request.Headers.UserAgent.ParseAdd("TwilioProxy/1.1");
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, lifetime.ApplicationStopping);
            state.RecordStatusCallback(new StatusCallbackDelivery(message.Sid, url, status, (int)response.StatusCode, null, state.Now));
            SandboxLog.StatusCallbackPosted(_logger, status, message.Sid, url, (int)response.StatusCode);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or InvalidOperationException or UriFormatException)
        {
            state.RecordStatusCallback(new StatusCallbackDelivery(message.Sid, url, status, null, exception.Message, state.Now));
            SandboxLog.StatusCallbackFailed(_logger, exception, status, message.Sid, url);
        }
    }
}
