using HorizonAI.Grains.Interfaces;
using HorizonAI.Storage.GroupCommit;
using Npgsql;

namespace HorizonAI.Storage.Messages;

/// <summary>What storing an inbound message found: whether this write made the row, its id and its status now.</summary>
/// <param name="Inserted">True when this call wrote the row; false when its MessageSid was already stored.</param>
/// <param name="Id">The row's id (null only if the existing row could not be read back).</param>
/// <param name="Status">The row's status now (null with <paramref name="Id"/>).</param>
public sealed record AcceptedRow(bool Inserted, long? Id, string? Status);

/// <summary>
/// An inbound message, stored once per (bot, MessageSid) with the status it is given; a repeat (Twilio's retry, or a
/// write whose answer was lost) finds the row that is there instead of writing another. This commit is what a
/// webhook's <c>200</c> waits for, and nothing else.
/// </summary>
public sealed class AcceptInbound(InboundMessage message, string status) : GroupCommitOperation<AcceptedRow>
{
    public override void AddTo(NpgsqlBatch batch) => AddCommand(batch, message, status);

    public override async Task ReadAsync(NpgsqlDataReader reader) => SetResult(await ReadRowAsync(reader));

    /// <summary>The statement, for operations that store a message together with more (e.g. reading its conversation).</summary>
    public static void AddCommand(NpgsqlBatch batch, InboundMessage message, string status) => batch.BatchCommands.Add(Command("""
        with inserted as (
            insert into messages (bot_id, user_number, direction, body, media_urls, media_types, twilio_sid, status, traceparent, profile_name, created_at, updated_at)
            values (@bot, @user, 'inbound', @body, @media, @media_types, @sid, @status, @traceparent, @profile_name, @at, @at)
            on conflict (bot_id, twilio_sid) where twilio_sid is not null do nothing
            returning id, status)
        select id, status, true from inserted
        union all
        select id, status, false from messages
        where bot_id = @bot and twilio_sid = @sid and not exists (select 1 from inserted)
        """,
        StatusSql.Text("bot", message.BotId ?? throw new ArgumentException("The message names no bot id.", nameof(message))), StatusSql.Text("user", message.UserNumber), StatusSql.Text("body", message.Body),
        new NpgsqlParameter<string[]>("media", message.MediaUrls), new NpgsqlParameter<string[]>("media_types", message.MediaTypes),
        StatusSql.Text("sid", message.MessageSid), StatusSql.Text("status", status), StatusSql.Text("traceparent", message.TraceParent),
        StatusSql.Text("profile_name", message.ProfileName),
        new NpgsqlParameter<DateTime>("at", message.ReceivedAt.UtcDateTime)));

    /// <summary>Reads the statement's row and moves the reader on.</summary>
    public static async Task<AcceptedRow> ReadRowAsync(NpgsqlDataReader reader)
    {
        var row = (await ReadRowsAsync(reader, r => (Id: r.GetInt64(0), Status: r.GetString(1), Inserted: r.GetBoolean(2)))).FirstOrDefault();
        return row.Status is null ? new AcceptedRow(false, null, null) : new AcceptedRow(row.Inserted, row.Id, row.Status);
    }
}
