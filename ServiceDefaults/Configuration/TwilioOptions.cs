using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary>The agency's single Twilio account, shared by every bot.</summary>
public sealed class TwilioOptions
{
    public const string DefaultApiBaseUrl = "https://api.twilio.com";

    public string? AccountSid { get; set; }

    public string? AuthToken { get; set; }

    /// <summary>Optional fallback sender (<c>whatsapp:+1…</c>).</summary>
    public string? WhatsAppFrom { get; set; }

    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    public static TwilioOptions From(IConfiguration configuration) => new()
    {
        AccountSid = configuration.Text("TWILIO_ACCOUNT_SID"),
        AuthToken = configuration.Text("TWILIO_AUTH_TOKEN"),
        WhatsAppFrom = configuration.Text("TWILIO_WHATSAPP_FROM"),
        ApiBaseUrl = configuration.Text("TWILIO_API_BASE_URL") ?? DefaultApiBaseUrl,
    };
}

/// <summary>Validates the Twilio settings; <paramref name="requireRestCredentials"/> is true where replies are sent.</summary>
public sealed class TwilioOptionsValidator(bool requireRestCredentials) : IValidateOptions<TwilioOptions>
{
    public ValidateOptionsResult Validate(string? name, TwilioOptions options)
    {
        var failures = new List<string>();
        if (options.AuthToken is null)
        {
            failures.Add("TWILIO_AUTH_TOKEN is not set; copy it from the Twilio console into the environment or .env");
        }

        if (requireRestCredentials && options.AccountSid is null)
        {
            failures.Add("TWILIO_ACCOUNT_SID is not set; copy it (AC…) from the Twilio console into the environment or .env");
        }

        if (!SettingsReader.IsAbsoluteHttpUrl(options.ApiBaseUrl))
        {
            failures.Add("TWILIO_API_BASE_URL must be an absolute http(s) URL such as https://api.twilio.com");
        }

        if (options.WhatsAppFrom is { } from && !from.StartsWith("whatsapp:+", StringComparison.Ordinal))
        {
            failures.Add("TWILIO_WHATSAPP_FROM must look like whatsapp:+15550000000");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
