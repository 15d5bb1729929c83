using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Hosting;

/// <summary>Settings only the Gateway reads.</summary>
public sealed class GatewayOptions
{
    /// <summary>Bearer key of the admin API, console and dashboard.</summary>
    public string? AdminApiKey { get; set; }

    /// <summary>The URL Twilio calls (e.g. https://whatsapp.horizonai.cl), used to rebuild the signed URL behind TLS proxies.</summary>
    public Uri? PublicBaseUrl { get; set; }

    public string? PublicBaseUrlError { get; set; }

    /// <summary>Running on a developer machine (Development environment): an admin key is made up when none is set.</summary>
    public bool LocalMode { get; set; }

    public static GatewayOptions From(IConfiguration configuration, bool localMode)
    {
        var options = new GatewayOptions { AdminApiKey = Text(configuration["ADMIN_API_KEY"]), LocalMode = localMode };
        var publicBaseUrl = Text(configuration["PUBLIC_BASE_URL"]);
        if (publicBaseUrl is not null)
        {
            if (Uri.TryCreate(publicBaseUrl.TrimEnd('/'), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            {
                options.PublicBaseUrl = uri;
            }
            else
            {
                options.PublicBaseUrlError = "PUBLIC_BASE_URL must be an absolute http(s) URL such as https://whatsapp.example.com";
            }
        }

        return options;
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

public sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        if (options.PublicBaseUrlError is { } error)
        {
            failures.Add(error);
        }

        if (options.AdminApiKey is { Length: < 16 })
        {
            failures.Add("ADMIN_API_KEY must be at least 16 characters long; generate one with `openssl rand -hex 24`");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
