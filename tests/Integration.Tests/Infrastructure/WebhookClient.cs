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

    public Task<HttpResponseMessage> PostAsync(string path, Dictionary<string, string> fields, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Twilio-Signature", signature ?? TwilioSigner.Sign(authToken, BaseUrl + path, fields));
        return http.SendAsync(request);
    }
}
