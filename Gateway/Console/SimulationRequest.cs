using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Infrastructure.Validation;

namespace HorizonAI.Gateway.Console;

/// <summary>The body of <c>POST /console/api/simulate</c>: one WhatsApp message as a user would write it.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class SimulationRequest : IValidatableObject
{
    /// <summary>The bot's number (the <c>To</c> of the message).</summary>
    [JsonPropertyName("bot")]
    [Required(ErrorMessage = "bot is required")]
    [PhoneNumber(ErrorMessage = "bot must be the bot's phone number, such as +15551111111")]
    public string? Bot { get; set; }

    /// <summary><see cref="Bot"/> in E.164, once the document is valid.</summary>
    [JsonIgnore] public string BotNumber => PhoneNumberParser.Normalize(Bot);

    /// <summary>The WhatsApp user the console plays (the <c>From</c> of the message).</summary>
    [JsonPropertyName("user")]
    [Required(ErrorMessage = "user is required")]
    [PhoneNumber(ErrorMessage = "user must be a phone number, such as +56912345678")]
    public string? User { get; set; }

    /// <summary><see cref="User"/> in E.164, once the document is valid.</summary>
    [JsonIgnore] public string UserNumber => PhoneNumberParser.Normalize(User);

    [JsonPropertyName("text")]
    [StringLength(SimulatorEndpoints.MaxTextLength, ErrorMessage = "text must be at most 4096 characters (WhatsApp's limit for one message)")]
    public string? Text { get; set; }

    /// <summary>An attached file (a voice note, an image, a PDF…); with it the text may be empty.</summary>
    [JsonPropertyName("media")] public SimulatedMedia? Media { get; set; }

    public static ValueTask<SimulationRequest> BindAsync(HttpContext context) => JsonBody.ReadAsync<SimulationRequest>(context);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Text) && Media is null)
        {
            yield return new ValidationResult("text is required (or a file in media)", ["text"]);
        }
    }
}

/// <summary>A file the simulator sends as the message's media, put where Twilio would keep it (the sandbox).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class SimulatedMedia
{
    private const string ContentTypeRule = "media.content_type must be a content type such as image/png";

    [JsonPropertyName("content_type")]
    [Required(ErrorMessage = ContentTypeRule)]
    [MediaType(ErrorMessage = ContentTypeRule)]
    public string? ContentType { get; set; }

    /// <summary>The file's bytes, base64.</summary>
    [JsonPropertyName("data")]
    [Required(ErrorMessage = "media.data is empty")]
    [Base64File(SimulatorEndpoints.MaxMediaBytes, ErrorMessage = "media.data must be the file in base64")]
    public string? Data { get; set; }
}
