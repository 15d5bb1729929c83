using System.Globalization;
using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Usage;

/// <summary>Prices behind the estimated cost; defaults are the seed's cost model.</summary>
public sealed class PriceOptions
{
    public const string PerMessageVariable = "PRICE_PER_MESSAGE_USD";
    public const string PerThousandTokensVariable = "PRICE_PER_1K_TOKENS_USD";
    public const string PerNumberPerMonthVariable = "PRICE_PER_NUMBER_MONTH_USD";
    public const string PerTranscriptionMinuteVariable = "PRICE_PER_TRANSCRIPTION_MINUTE_USD";
    public const string PerThousandFileSearchesVariable = "PRICE_PER_1K_FILE_SEARCHES_USD";

    private const string DollarsRule = " must be a non-negative number of US dollars, such as 0.005";

    [SettingRange(0d, double.MaxValue, ErrorMessage = PerMessageVariable + DollarsRule)]
    public decimal PerMessageUsd { get; set; } = 0.005m;

    [SettingRange(0d, double.MaxValue, ErrorMessage = PerThousandTokensVariable + DollarsRule)]
    public decimal PerThousandTokensUsd { get; set; } = 0.01m;

    [SettingRange(0d, double.MaxValue, ErrorMessage = PerNumberPerMonthVariable + DollarsRule)]
    public decimal PerNumberPerMonthUsd { get; set; } = 1m;

    /// <summary>Transcription billed by the minute of audio (whisper-1); models that bill by tokens use the token price.</summary>
    [SettingRange(0d, double.MaxValue, ErrorMessage = PerTranscriptionMinuteVariable + DollarsRule)]
    public decimal PerTranscriptionMinuteUsd { get; set; } = 0.006m;

    /// <summary>OpenAI's hosted file_search calls (the platform's own full-text searches cost nothing upstream).</summary>
    [SettingRange(0d, double.MaxValue, ErrorMessage = PerThousandFileSearchesVariable + DollarsRule)]
    public decimal PerThousandFileSearchesUsd { get; set; } = 2.5m;

    public static PriceOptions From(IConfiguration configuration) => new()
    {
        PerMessageUsd = Dollars(configuration, PerMessageVariable, 0.005m),
        PerThousandTokensUsd = Dollars(configuration, PerThousandTokensVariable, 0.01m),
        PerNumberPerMonthUsd = Dollars(configuration, PerNumberPerMonthVariable, 1m),
        PerTranscriptionMinuteUsd = Dollars(configuration, PerTranscriptionMinuteVariable, 0.006m),
        PerThousandFileSearchesUsd = Dollars(configuration, PerThousandFileSearchesVariable, 2.5m),
    };

    // A malformed value reads as -1, which the validator names.
    private static decimal Dollars(IConfiguration configuration, string name, decimal fallback) => configuration.Text(name) is { } text
        ? decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : -1m
        : fallback;
}

[OptionsValidator]
public sealed partial class PriceOptionsValidator : IValidateOptions<PriceOptions>;
