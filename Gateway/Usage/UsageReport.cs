using System.Text.Json.Serialization;
using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Gateway.Usage;

/// <summary>The answer of <c>GET /bots/{number}/usage</c>: per day and in total, with estimated cost in USD.</summary>
public sealed record UsageReport(
    [property: JsonPropertyName("twilio_phone_number")] string Number,
    [property: JsonPropertyName("from")] DateOnly From,
    [property: JsonPropertyName("to")] DateOnly To,
    [property: JsonPropertyName("days")] IReadOnlyList<UsageLine> Days,
    [property: JsonPropertyName("total")] UsageLine Total,
    [property: JsonPropertyName("prices")] UsagePrices Prices)
{
    /// <summary>Every day of the range appears (zeros included) so charts need no gap filling.</summary>
    public static UsageReport Build(string number, DateOnly from, DateOnly to, IReadOnlyList<UsageDay> days, PriceOptions prices)
    {
        var byDay = days.ToDictionary(d => d.Day);
        var lines = new List<UsageLine>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var usage = byDay.GetValueOrDefault(day) ?? new UsageDay(day, 0, 0, 0, 0, 0);
            var numberShare = prices.PerNumberPerMonthUsd / DateTime.DaysInMonth(day.Year, day.Month);
            lines.Add(UsageLine.For(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), usage, numberShare, prices));
        }

        var total = new UsageLine(
            "total",
            lines.Sum(l => l.InboundMessages),
            lines.Sum(l => l.OutboundMessages),
            lines.Sum(l => l.InputTokens),
            lines.Sum(l => l.OutputTokens),
            lines.Sum(l => l.CachedTokens),
            lines.Sum(l => l.MessagesCostUsd),
            lines.Sum(l => l.TokensCostUsd),
            lines.Sum(l => l.NumberCostUsd),
            lines.Sum(l => l.EstimatedCostUsd));
        return new UsageReport(number, from, to, lines, total,
            new UsagePrices(prices.PerMessageUsd, prices.PerThousandTokensUsd, prices.PerNumberPerMonthUsd));
    }
}

public sealed record UsageLine(
    [property: JsonPropertyName("day")] string Day,
    [property: JsonPropertyName("inbound_messages")] int InboundMessages,
    [property: JsonPropertyName("outbound_messages")] int OutboundMessages,
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("cached_tokens")] long CachedTokens,
    [property: JsonPropertyName("messages_cost_usd")] decimal MessagesCostUsd,
    [property: JsonPropertyName("tokens_cost_usd")] decimal TokensCostUsd,
    [property: JsonPropertyName("number_cost_usd")] decimal NumberCostUsd,
    [property: JsonPropertyName("estimated_cost_usd")] decimal EstimatedCostUsd)
{
    public static UsageLine For(string day, UsageDay usage, decimal numberShare, PriceOptions prices)
    {
        var messages = (usage.InboundMessages + usage.OutboundMessages) * prices.PerMessageUsd;
        var tokens = (usage.InputTokens + usage.OutputTokens) / 1000m * prices.PerThousandTokensUsd;
        var number = Math.Round(numberShare, 6);
        return new UsageLine(day, usage.InboundMessages, usage.OutboundMessages, usage.InputTokens, usage.OutputTokens, usage.CachedTokens,
            Math.Round(messages, 6), Math.Round(tokens, 6), number, Math.Round(messages + tokens + number, 6));
    }
}

public sealed record UsagePrices(
    [property: JsonPropertyName("per_message_usd")] decimal PerMessageUsd,
    [property: JsonPropertyName("per_1k_tokens_usd")] decimal PerThousandTokensUsd,
    [property: JsonPropertyName("per_number_per_month_usd")] decimal PerNumberPerMonthUsd);
