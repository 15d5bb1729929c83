using System.ComponentModel.DataAnnotations;
using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Hosting;

/// <summary>Settings only the Gateway reads.</summary>
public sealed class GatewayOptions : IValidatableObject
{
    public const string AdminApiKeyVariable = "ADMIN_API_KEY";
    public const string PublicBaseUrlVariable = "PUBLIC_BASE_URL";

    /// <summary>Bearer key of the admin API, console and dashboard.</summary>
    [SettingLength(16, int.MaxValue, ErrorMessage = AdminApiKeyVariable + " must be at least 16 characters long; generate one with `openssl rand -hex 24`")]
    public string? AdminApiKey { get; set; }

    /// <summary>The URL Twilio calls (e.g. https://whatsapp.horizonai.cl), used to rebuild the signed URL behind TLS proxies.</summary>
    public Uri? PublicBaseUrl { get; set; }

    public string? PublicBaseUrlError { get; set; }

    /// <summary>Running on a developer machine (Development environment): an admin key is made up when none is set.</summary>
    public bool LocalMode { get; set; }

    public static GatewayOptions From(IConfiguration configuration, bool localMode)
    {
        var options = new GatewayOptions { AdminApiKey = Text(configuration[AdminApiKeyVariable]), LocalMode = localMode };
        var publicBaseUrl = Text(configuration[PublicBaseUrlVariable]);
        if (publicBaseUrl is not null)
        {
            if (Uri.TryCreate(publicBaseUrl.TrimEnd('/'), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            {
                options.PublicBaseUrl = uri;
            }
            else
            {
                options.PublicBaseUrlError = PublicBaseUrlVariable + " must be an absolute http(s) URL such as https://whatsapp.example.com";
            }
        }

        return options;
    }

    // The URL is parsed by From, which keeps what it could not read.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PublicBaseUrlError is { } error)
        {
            yield return new ValidationResult(error);
        }
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

[OptionsValidator]
public sealed partial class GatewayOptionsValidator : IValidateOptions<GatewayOptions>;
