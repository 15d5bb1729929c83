namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>What the message log says of inbound messages, read straight from PostgreSQL.</summary>
public static class MessageLogReads
{
    /// <summary>The status of the inbound message with this MessageSid; null when it has no row.</summary>
    public static Task<string?> InboundStatusAsync(this TestDatabase database, string sid) =>
        database.ScalarAsync<string?>("select status from messages where direction = 'inbound' and twilio_sid = @sid", ("sid", sid));

    public static Task WaitForInboundStatusAsync(this TestDatabase database, string sid, string status, TimeSpan timeout) =>
        Eventually.TrueAsync(async () => await database.InboundStatusAsync(sid) == status, timeout, $"{sid} {status}");

    /// <summary>The statuses of a bot's inbound messages, in arrival order.</summary>
    public static async Task<string[]> InboundStatusesAsync(this TestDatabase database, string bot) =>
        [.. (await database.QueryAsync("select status from messages where bot_id = (select id from bots where phone_number = @bot) and direction = 'inbound' order by id", ("bot", bot)))
            .Select(r => (string)r["status"]!)];

    public static Task WaitForInboundStatusesAsync(this TestDatabase database, string bot, string[] statuses, TimeSpan timeout) =>
        Eventually.TrueAsync(async () => (await database.InboundStatusesAsync(bot)).SequenceEqual(statuses), timeout,
            $"the messages of {bot} {string.Join(", ", statuses)}");
}
