namespace HorizonAI.Grains.Storage.Messages;

/// <summary>
/// The SQL that keeps the usage report's figures when rows go (retention, an erased conversation): what the deleted
/// messages and calls of tools counted per day is added to <c>usage_erased</c> in the statement that deletes them. The
/// report is per bot and day, with no user in it, so nothing of the user is kept. Each figure is counted as
/// <c>MessageLogQueries.GetUsageAsync</c> counts the live rows.
/// </summary>
internal static class ErasedUsage
{
    /// <summary>The columns of a deleted message the figures need (for a <c>returning</c> clause).</summary>
    public const string MessageColumns =
        "direction, created_at, twilio_sid, input_tokens, output_tokens, cached_tokens, media_types, transcribed_seconds, transcription_tokens, knowledge_searches, file_searches";

    private static readonly string[] Figures =
    [
        "inbound_messages", "outbound_messages", "input_tokens", "output_tokens", "cached_tokens", "audio_items", "images", "documents",
        "transcribed_seconds", "transcription_tokens", "minute_billed_seconds", "knowledge_searches", "file_searches", "tool_calls",
    ];

    /// <summary>The figures per day of the deleted messages in <paramref name="messages"/> (rows of <see cref="MessageColumns"/>).</summary>
    public static string OfMessages(string messages) => $"""
        select (created_at at time zone 'UTC')::date as day,
               count(*) filter (where direction = 'inbound') as inbound_messages,
               count(*) filter (where direction = 'outbound' and twilio_sid is not null) as outbound_messages,
               coalesce(sum(input_tokens), 0) as input_tokens, coalesce(sum(output_tokens), 0) as output_tokens,
               coalesce(sum(cached_tokens), 0) as cached_tokens,
               coalesce(sum((select count(*) from unnest(media_types) t where t like 'audio/%')), 0) as audio_items,
               coalesce(sum((select count(*) from unnest(media_types) t where t like 'image/%')), 0) as images,
               coalesce(sum((select count(*) from unnest(media_types) t where t = 'application/pdf')), 0) as documents,
               coalesce(sum(transcribed_seconds), 0) as transcribed_seconds, coalesce(sum(transcription_tokens), 0) as transcription_tokens,
               coalesce(sum(transcribed_seconds) filter (where coalesce(transcription_tokens, 0) = 0), 0) as minute_billed_seconds,
               coalesce(sum(knowledge_searches), 0) as knowledge_searches, coalesce(sum(file_searches), 0) as file_searches,
               0 as tool_calls
        from {messages} group by 1
        """;

    /// <summary>The count per day of the deleted calls in <paramref name="calls"/> (rows with their <c>created_at</c>).</summary>
    public static string OfToolCalls(string calls) => $"""
        select (created_at at time zone 'UTC')::date as day, {string.Join(", ", Figures[..^1].Select(f => "0 as " + f))}, count(*) as tool_calls
        from {calls} group by 1
        """;

    /// <summary>An <c>insert</c> of <c>@bot</c>'s figures per day, summed over <paramref name="perDay"/>, into <c>usage_erased</c>.</summary>
    public static string Add(params string[] perDay) => $"""
        insert into usage_erased (bot_id, day, {string.Join(", ", Figures)})
        select @bot, day, {string.Join(", ", Figures.Select(f => $"sum({f})"))}
        from ({string.Join(" union all ", perDay)}) figures
        group by day
        on conflict (bot_id, day) do update set
            {string.Join(", ", Figures.Select(f => $"{f} = usage_erased.{f} + excluded.{f}"))}
        """;
}
