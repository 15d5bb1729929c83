using System.Text.Json.Serialization;

namespace HorizonAI.Gateway.Bots;

/// <summary>What <c>POST /bots/import</c> did with a backup.</summary>
public sealed class ImportSummary
{
    [JsonPropertyName("created")] public int Created { get; set; }

    [JsonPropertyName("updated")] public int Updated { get; set; }

    [JsonPropertyName("rejected")] public List<ImportRejection> Rejected { get; } = [];
}

public sealed record ImportRejection(
    [property: JsonPropertyName("index")] int Index,
    [property: JsonPropertyName("twilio_phone_number")] string? TwilioPhoneNumber,
    [property: JsonPropertyName("reasons")] List<string> Reasons);
