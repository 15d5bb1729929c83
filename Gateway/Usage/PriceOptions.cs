using System.Globalization;

namespace HorizonAI.Gateway.Usage;

/// <summary>Prices behind the estimated cost; defaults are the seed's cost model.</summary>
public sealed class PriceOptions
{
    public decimal PerMessageUsd { get; set; } = 0.005m;

    public decimal PerThousandTokensUsd { get; set; } = 0.01m;

    public decimal PerNumberPerMonthUsd { get; set; } = 1m;

    /// <summary>Transcription billed by the minute of audio (whisper-1); models that bill by tokens use the token price.</summary>
    public decimal PerTranscriptionMinuteUsd { get; set; } = 0.006m;

    public string? Error { get; set; }

    public static PriceOptions From(IConfiguration configuration)
    {
        var options = new PriceOptions();
        options.PerMessageUsd = Read(configuration, "PRICE_PER_MESSAGE_USD", options.PerMessageUsd, options);
        options.PerThousandTokensUsd = Read(configuration, "PRICE_PER_1K_TOKENS_USD", options.PerThousandTokensUsd, options);
        options.PerNumberPerMonthUsd = Read(configuration, "PRICE_PER_NUMBER_MONTH_USD", options.PerNumberPerMonthUsd, options);
        options.PerTranscriptionMinuteUsd = Read(configuration, "PRICE_PER_TRANSCRIPTION_MINUTE_USD", options.PerTranscriptionMinuteUsd, options);
        return options;
    }

    private static decimal Read(IConfiguration configuration, string name, decimal fallback, PriceOptions options)
    {
        var text = configuration[name];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return value;
        }

        options.Error = $"{name} must be a non-negative number of US dollars, such as 0.005";
        return fallback;
    }
}

public sealed class PriceOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<PriceOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, PriceOptions options) =>
        options.Error is null ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(options.Error);
}
