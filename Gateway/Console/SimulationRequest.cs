using System.Text.Json.Serialization;

namespace HorizonAI.Gateway.Console;

/// <summary>The body of <c>POST /console/api/simulate</c>: one WhatsApp message as a user would write it.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class SimulationRequest
{
    /// <summary>The bot's number (the <c>To</c> of the message).</summary>
    [JsonPropertyName("bot")] public string? Bot { get; set; }

    /// <summary>The WhatsApp user the console plays (the <c>From</c> of the message).</summary>
    [JsonPropertyName("user")] public string? User { get; set; }

    [JsonPropertyName("text")] public string? Text { get; set; }
}
