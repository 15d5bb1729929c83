using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary>The agency's single Twilio account, shared by every bot.</summary>
public sealed class TwilioOptions
{
    public const string DefaultApiBaseUrl = "https://api.twilio.com";

    public const string AccountSidVariable = "TWILIO_ACCOUNT_SID";
    public const string AuthTokenVariable = "TWILIO_AUTH_TOKEN";
    public const string WhatsAppFromVariable = "TWILIO_WHATSAPP_FROM";
    public const string ApiBaseUrlVariable = "TWILIO_API_BASE_URL";

    /// <summary>
    /// The message of a missing <see cref="AccountSid"/>, which only hosts that send replies need
    /// (<c>AddOptions&lt;TwilioOptions&gt;().Validate(…)</c> where they register these options).
    /// </summary>
    public const string AccountSidMissing = AccountSidVariable + " is not set; copy it (AC…) from the Twilio console into the environment or .env";

    public string? AccountSid { get; set; }

    [SettingRequired(ErrorMessage = AuthTokenVariable + " is not set; copy it from the Twilio console into the environment or .env")]
    public string? AuthToken { get; set; }

    /// <summary>Optional fallback sender (<c>whatsapp:+1…</c>).</summary>
    [SettingPattern(@"(?s)whatsapp:\+.*", ErrorMessage = WhatsAppFromVariable + " must look like whatsapp:+15550000000")]
    public string? WhatsAppFrom { get; set; }

    [SettingHttpUrl(ErrorMessage = ApiBaseUrlVariable + " must be an absolute http(s) URL such as https://api.twilio.com")]
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    public static TwilioOptions From(IConfiguration configuration) => new()
    {
        AccountSid = configuration.Text(AccountSidVariable),
        AuthToken = configuration.Text(AuthTokenVariable),
        WhatsAppFrom = configuration.Text(WhatsAppFromVariable),
        ApiBaseUrl = configuration.Text(ApiBaseUrlVariable) ?? DefaultApiBaseUrl,
    };
}

[OptionsValidator]
public sealed partial class TwilioOptionsValidator : IValidateOptions<TwilioOptions>;
