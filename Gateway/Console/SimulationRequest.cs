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

    /// <summary>An attached file (a voice note, an image, a PDF…); with it the text may be empty.</summary>
    [JsonPropertyName("media")] public SimulatedMedia? Media { get; set; }
}

/// <summary>A file the simulator sends as the message's media, put where Twilio would keep it (the sandbox).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class SimulatedMedia
{
    [JsonPropertyName("content_type")] public string? ContentType { get; set; }

    /// <summary>The file's bytes, base64.</summary>
    [JsonPropertyName("data")] public string? Data { get; set; }
}
