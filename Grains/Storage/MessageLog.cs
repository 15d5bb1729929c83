using HorizonAI.Grains.Interfaces;
using Npgsql;

namespace HorizonAI.Grains.Storage;

/// <summary>
/// The <c>messages</c> table in PostgreSQL, with <c>early_delivery_statuses</c> for callbacks that overtake their reply.
/// </summary>
public sealed class MessageLog(NpgsqlDataSource dataSource) : IMessageLog
{
    /// <summary>SQL <c>case</c> arms that turn a status word into its rank (see <see cref="DeliveryStatuses"/>).</summary>
    private static readonly string RankCases = string.Join(' ', DeliveryStatuses.All.Select(kv => $"when '{kv.Key}' then {kv.Value}"));

    private static string ReasonCase(string column) =>
        $"case {column} " + string.Join(' ', DeliveryStatuses.KnownReasons.Select(kv => $"when '{kv.Key}' then '{kv.Value.Replace("'", "''", StringComparison.Ordinal)}'"))
        + $" else 'Twilio error ' || {column} end";

    public async Task<bool> RecordInboundAsync(InboundMessage message, string status, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            insert into messages (bot_number, user_number, direction, body, twilio_sid, status, created_at, updated_at)
            values (@bot, @user, 'inbound', @body, @sid, @status, @at, @at)
            on conflict (bot_number, twilio_sid) where twilio_sid is not null do nothing
            """);
        command.Parameters.AddWithValue("bot", message.BotNumber);
        command.Parameters.AddWithValue("user", message.UserNumber);
        command.Parameters.AddWithValue("body", message.Body);
        command.Parameters.AddWithValue("sid", message.MessageSid);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("at", message.ReceivedAt.UtcDateTime);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> InboundExistsAsync(string botNumber, string messageSid, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "select exists (select 1 from messages where bot_number = @bot and twilio_sid = @sid)");
        command.Parameters.AddWithValue("bot", botNumber);
        command.Parameters.AddWithValue("sid", messageSid);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task MarkInboundAsync(string botNumber, IReadOnlyCollection<string> messageSids, string status, string? errorCode, string? errorMessage, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            update messages set status = @status, error_code = @code, error_message = @error, updated_at = now()
            where bot_number = @bot and twilio_sid = any(@sids) and direction = 'inbound'
            """);
        command.Parameters.AddWithValue("bot", botNumber);
        command.Parameters.AddWithValue("sids", messageSids.ToArray());
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("code", (object?)errorCode ?? DBNull.Value);
        command.Parameters.AddWithValue("error", (object?)errorMessage ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> AreSettledAsync(string botNumber, IReadOnlyCollection<string> messageSids, CancellationToken cancellationToken = default)
    {
        var sids = messageSids.Distinct(StringComparer.Ordinal).ToArray();
        await using var command = dataSource.CreateCommand("""
            select count(*)::int from messages
            where bot_number = @bot and twilio_sid = any(@sids) and direction = 'inbound' and status in (@answered, @failed)
            """);
        command.Parameters.AddWithValue("bot", botNumber);
        command.Parameters.AddWithValue("sids", sids);
        command.Parameters.AddWithValue("answered", MessageStatus.Answered);
        command.Parameters.AddWithValue("failed", MessageStatus.Failed);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))! == sids.Length;
    }

    public async Task RecordOutboundAsync(OutboundRecord record, InboundSettlement? settlement = null, CancellationToken cancellationToken = default)
    {
        // A status callback that arrived before this row existed is applied in the same round trip, and so is the
        // outcome of the inbound messages this part settles (none when the array is empty).
        await using var command = dataSource.CreateCommand($"""
            with early as (delete from early_delivery_statuses where twilio_sid = @sid returning status, error_code),
            settled as (
                update messages set status = @settled_status, error_code = @settled_code, error_message = @settled_error, updated_at = now()
                where bot_number = @bot and twilio_sid = any(@settled_sids) and direction = 'inbound'
                returning 1)
            insert into messages (bot_number, user_number, direction, body, twilio_sid, status, error_code, error_message,
                                  input_tokens, output_tokens, cached_tokens)
            select @bot, @user, 'outbound', @body, @sid,
                   case when early.status is not null and (case early.status {RankCases} else 0 end) > (case @status::text {RankCases} else 0 end)
                        then early.status else @status end,
                   coalesce(@code, early.error_code), coalesce(@error, {ReasonCase("early.error_code")}),
                   @input, @output, @cached
            from (select 1) one left join early on true
            on conflict (bot_number, twilio_sid) where twilio_sid is not null do nothing
            """);
        command.Parameters.AddWithValue("bot", record.BotNumber);
        command.Parameters.AddWithValue("user", record.UserNumber);
        command.Parameters.AddWithValue("body", record.Body);
        command.Parameters.AddWithValue("sid", (object?)record.TwilioSid ?? DBNull.Value);
        command.Parameters.AddWithValue("status", record.Status);
        command.Parameters.AddWithValue("code", (object?)record.ErrorCode ?? DBNull.Value);
        command.Parameters.AddWithValue("error", (object?)record.ErrorMessage ?? DBNull.Value);
        command.Parameters.AddWithValue("input", (object?)record.InputTokens ?? DBNull.Value);
        command.Parameters.AddWithValue("output", (object?)record.OutputTokens ?? DBNull.Value);
        command.Parameters.AddWithValue("cached", (object?)record.CachedTokens ?? DBNull.Value);
        command.Parameters.AddWithValue("settled_sids", settlement?.MessageSids.ToArray() ?? []);
        command.Parameters.AddWithValue("settled_status", settlement?.Status ?? "");
        command.Parameters.AddWithValue("settled_code", (object?)settlement?.ErrorCode ?? DBNull.Value);
        command.Parameters.AddWithValue("settled_error", (object?)settlement?.ErrorMessage ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<DeliveryStatusOutcome> RecordDeliveryStatusAsync(DeliveryStatusUpdate update, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            update messages set status = @status,
                error_code = coalesce(@code, error_code), error_message = coalesce(@error, error_message), updated_at = now()
            where twilio_sid = @sid and direction = 'outbound'
              and (case status {RankCases} else 0 end) < @rank
            """);
        command.Parameters.AddWithValue("sid", update.MessageSid);
        command.Parameters.AddWithValue("status", update.Status);
        command.Parameters.AddWithValue("rank", DeliveryStatuses.Rank(update.Status));
        command.Parameters.AddWithValue("code", (object?)update.ErrorCode ?? DBNull.Value);
        command.Parameters.AddWithValue("error", (object?)DeliveryStatuses.Reason(update.ErrorCode) ?? DBNull.Value);
        if (await command.ExecuteNonQueryAsync(cancellationToken) > 0)
        {
            return DeliveryStatusOutcome.Updated;
        }

        return await KeepEarlyStatusAsync(update, command, cancellationToken);
    }

    private async Task<DeliveryStatusOutcome> KeepEarlyStatusAsync(DeliveryStatusUpdate update, NpgsqlCommand retry, CancellationToken cancellationToken)
    {
        // Not logged (yet): keep the most advanced status until the reply's row is written, unless the row exists.
        await using var early = dataSource.CreateCommand($"""
            insert into early_delivery_statuses (twilio_sid, status, error_code)
            select @sid, @status, @code
            where not exists (select 1 from messages where twilio_sid = @sid and direction = 'outbound')
            on conflict (twilio_sid) do update set status = excluded.status, error_code = coalesce(excluded.error_code, early_delivery_statuses.error_code)
                where (case early_delivery_statuses.status {RankCases} else 0 end) < (case excluded.status {RankCases} else 0 end)
            """);
        early.Parameters.AddWithValue("sid", update.MessageSid);
        early.Parameters.AddWithValue("status", update.Status);
        early.Parameters.AddWithValue("code", (object?)update.ErrorCode ?? DBNull.Value);
        var kept = await early.ExecuteNonQueryAsync(cancellationToken);
        if (kept > 0)
        {
            return DeliveryStatusOutcome.UnknownMessage;
        }

        await using var exists = dataSource.CreateCommand("select exists (select 1 from messages where twilio_sid = @sid and direction = 'outbound')");
        exists.Parameters.AddWithValue("sid", update.MessageSid);
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
        {
            return DeliveryStatusOutcome.UnknownMessage; // an earlier callback already holds a later status
        }

        // The row exists after all (it was written between the two statements): apply the status to it now.
        return await retry.ExecuteNonQueryAsync(cancellationToken) > 0 ? DeliveryStatusOutcome.Updated : DeliveryStatusOutcome.Unchanged;
    }

    public async Task<int> DeleteConversationAsync(string botNumber, string userNumber, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("delete from messages where bot_number = @bot and user_number = @user");
        command.Parameters.AddWithValue("bot", botNumber);
        command.Parameters.AddWithValue("user", userNumber);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<string>> ListUsersAsync(string botNumber, CancellationToken cancellationToken = default)
    {
        var users = new List<string>();
        await using var command = dataSource.CreateCommand("select distinct user_number from messages where bot_number = @bot");
        command.Parameters.AddWithValue("bot", botNumber);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(reader.GetString(0));
        }

        return users;
    }
}
