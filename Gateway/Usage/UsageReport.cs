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
            lines.Sum(l => l.EstimatedCostUsd))
        {
            AudioItems = lines.Sum(l => l.AudioItems),
            Images = lines.Sum(l => l.Images),
            Documents = lines.Sum(l => l.Documents),
            TranscribedMinutes = lines.Sum(l => l.TranscribedMinutes),
            TranscriptionTokens = lines.Sum(l => l.TranscriptionTokens),
            TranscriptionCostUsd = lines.Sum(l => l.TranscriptionCostUsd),
            ToolCalls = lines.Sum(l => l.ToolCalls),
            KnowledgeSearches = lines.Sum(l => l.KnowledgeSearches),
            FileSearches = lines.Sum(l => l.FileSearches),
            KnowledgeCostUsd = lines.Sum(l => l.KnowledgeCostUsd),
        };
        return new UsageReport(number, from, to, lines, total,
            new UsagePrices(prices.PerMessageUsd, prices.PerThousandTokensUsd, prices.PerNumberPerMonthUsd, prices.PerTranscriptionMinuteUsd)
            {
                PerThousandFileSearchesUsd = prices.PerThousandFileSearchesUsd,
            });
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
    /// <summary>Voice notes and other audio received.</summary>
    [JsonPropertyName("audio_items")] public int AudioItems { get; init; }

    [JsonPropertyName("images")] public int Images { get; init; }

    [JsonPropertyName("documents")] public int Documents { get; init; }

    [JsonPropertyName("transcribed_minutes")] public decimal TranscribedMinutes { get; init; }

    /// <summary>Tokens of transcription models that bill by tokens (gpt-4o-mini-transcribe), apart from the assistant's.</summary>
    [JsonPropertyName("transcription_tokens")] public long TranscriptionTokens { get; init; }

    /// <summary>Included in <see cref="EstimatedCostUsd"/>: each transcription's tokens at the token price, or its minutes at the minute price when its model reported no tokens.</summary>
    [JsonPropertyName("transcription_cost_usd")] public decimal TranscriptionCostUsd { get; init; }

    /// <summary>Calls of the business's tools (function tools and MCP tools) the assistant made.</summary>
    [JsonPropertyName("tool_calls")] public int ToolCalls { get; init; }

    /// <summary>Searches of the bot's knowledge: OpenAI's hosted file_search calls and the platform's own full-text searches.</summary>
    [JsonPropertyName("knowledge_searches")] public int KnowledgeSearches { get; init; }

    /// <summary>Of those, OpenAI's hosted file_search calls, priced at <c>PRICE_PER_1K_FILE_SEARCHES_USD</c>.</summary>
    [JsonPropertyName("file_searches")] public int FileSearches { get; init; }

    /// <summary>Included in <see cref="EstimatedCostUsd"/>: the hosted file searches at their price.</summary>
    [JsonPropertyName("knowledge_cost_usd")] public decimal KnowledgeCostUsd { get; init; }

    public static UsageLine For(string day, UsageDay usage, decimal numberShare, PriceOptions prices)
    {
        var messages = (usage.InboundMessages + usage.OutboundMessages) * prices.PerMessageUsd;
        var tokens = (usage.InputTokens + usage.OutputTokens) / 1000m * prices.PerThousandTokensUsd;
        var minutes = Math.Round((decimal)usage.TranscribedSeconds / 60m, 4);
        // Each transcription as its model bills it: by its tokens, or by the minute when it reported none.
        var transcription = usage.TranscriptionTokens / 1000m * prices.PerThousandTokensUsd
            + Math.Round((decimal)usage.MinuteBilledSeconds / 60m, 4) * prices.PerTranscriptionMinuteUsd;
        var number = Math.Round(numberShare, 6);
        var knowledge = usage.FileSearches / 1000m * prices.PerThousandFileSearchesUsd;
        return new UsageLine(day, usage.InboundMessages, usage.OutboundMessages, usage.InputTokens, usage.OutputTokens, usage.CachedTokens,
            Math.Round(messages, 6), Math.Round(tokens, 6), number, Math.Round(messages + tokens + transcription + knowledge + number, 6))
        {
            AudioItems = usage.AudioItems,
            Images = usage.Images,
            Documents = usage.Documents,
            TranscribedMinutes = minutes,
            TranscriptionTokens = usage.TranscriptionTokens,
            TranscriptionCostUsd = Math.Round(transcription, 6),
            ToolCalls = usage.ToolCalls,
            KnowledgeSearches = usage.KnowledgeSearches,
            FileSearches = usage.FileSearches,
            KnowledgeCostUsd = Math.Round(knowledge, 6),
        };
    }
}

public sealed record UsagePrices(
    [property: JsonPropertyName("per_message_usd")] decimal PerMessageUsd,
    [property: JsonPropertyName("per_1k_tokens_usd")] decimal PerThousandTokensUsd,
    [property: JsonPropertyName("per_number_per_month_usd")] decimal PerNumberPerMonthUsd,
    [property: JsonPropertyName("per_transcription_minute_usd")] decimal PerTranscriptionMinuteUsd)
{
    [JsonPropertyName("per_1k_file_searches_usd")] public decimal PerThousandFileSearchesUsd { get; init; }
}
