using System.Net.Http;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>Posts WhatsApp webhooks to the Gateway the way Twilio does, signed with the account's auth token.</summary>
public sealed class WebhookClient(HttpClient http, string authToken = TestSystem.AuthToken)
{
    private int _sequence;

    public string BaseUrl { get; init; } = "http://localhost";

    public static Dictionary<string, string> Inbound(string bot, string user, string body, string? sid = null) => new()
    {
        ["MessageSid"] = sid ?? "SM" + Guid.NewGuid().ToString("N"),
        ["AccountSid"] = TestSystem.AccountSid,
        ["From"] = "whatsapp:" + user,
        ["To"] = "whatsapp:" + bot,
        ["Body"] = body,
        ["NumMedia"] = "0",
        ["ProfileName"] = "Test User",
        ["WaId"] = user.TrimStart('+'),
    };

    public Task<HttpResponseMessage> SendAsync(string bot, string user, string body, string? sid = null) =>
        PostAsync("/webhook/whatsapp", Inbound(bot, user, body, sid ?? $"SM{Interlocked.Increment(ref _sequence):D6}{Guid.NewGuid():N}"[..34]));

    /// <summary>A message with media, as Twilio posts it: <c>NumMedia</c>, then <c>MediaUrl{N}</c> and <c>MediaContentType{N}</c>.</summary>
    public Task<HttpResponseMessage> SendWithMediaAsync(string bot, string user, string body, params (string Url, string ContentType)[] media)
    {
        var fields = Inbound(bot, user, body, $"SM{Interlocked.Increment(ref _sequence):D6}{Guid.NewGuid():N}"[..34]);
        fields["NumMedia"] = media.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < media.Length; i++)
        {
            fields["MediaUrl" + i] = media[i].Url;
            fields["MediaContentType" + i] = media[i].ContentType;
        }

        return PostAsync("/webhook/whatsapp", fields);
    }

    public Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> fields, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", signature ?? TwilioSigner.Sign(authToken, BaseUrl + path, fields));
        return http.SendAsync(request);
    }
}
