using Microsoft.Extensions.Configuration;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary>Reads the SPEC's flat variable names (<c>TWILIO_AUTH_TOKEN</c>…) from configuration.</summary>
public static class SettingsReader
{
    public static string? Text(this IConfiguration configuration, string name)
    {
        var value = configuration[name];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>Parses an integer; a malformed value reads as <see cref="int.MinValue"/> so the validator can name it.</summary>
    public static int Integer(this IConfiguration configuration, string name, int fallback)
    {
        var value = configuration.Text(name);
        if (value is null)
        {
            return fallback;
        }

        return int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : int.MinValue;
    }
}
