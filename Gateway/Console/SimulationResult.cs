using System.Text.Json.Serialization;

namespace HorizonAI.Gateway.Console;

/// <summary>What the Gateway's own webhook answered to a simulated message.</summary>
/// <param name="WebhookStatus">The HTTP status of <c>POST /webhook/whatsapp</c> (200 when the message was accepted).</param>
/// <param name="MessageSid">The <c>SM…</c> id the simulated message carried; its transcript entry has it.</param>
/// <param name="Detail">The webhook's problem title when it did not accept the message.</param>
public sealed record SimulationResult(
    [property: JsonPropertyName("webhook_status")] int WebhookStatus,
    [property: JsonPropertyName("message_sid")] string MessageSid,
    [property: JsonPropertyName("bot")] string Bot,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("detail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Detail);
