using System.Text.Json;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;
using Npgsql;

namespace HorizonAI.Grains.Campaigns;

/// <summary>The campaigns and campaign_recipients tables (migration 0010).</summary>
public sealed class PostgresCampaignStore(NpgsqlDataSource dataSource, TimeProvider time) : ICampaignStore
{
    private const string SummarySelect = """
        select c.id, i.phone_number, c.name, c.template, c.status, c.total, c.created_at, c.finished_at,
               count(*) filter (where r.status = 'pending'), count(*) filter (where r.status = 'queued'),
               count(*) filter (where r.status = 'skipped'), count(*) filter (where r.status = 'canceled'),
               count(*) filter (where m.status in ('queued', 'sending', 'sent', 'delivered', 'read')),
               count(*) filter (where r.status = 'failed' or m.status in ('failed', 'undelivered'))
        from campaigns c
        join bot_identities i on i.id = c.bot_id
        join campaign_recipients r on r.campaign_id = c.id
        left join messages m on m.id = r.message_id
        """;

    public Task<bool> CreateAsync(string botId, CampaignRequest request) => BrokenConnections.RetryOnceAsync(dataSource, async () =>
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var campaign = new NpgsqlCommand("""
            insert into campaigns (id, bot_id, name, template, status, total, created_by, created_at)
            values (@id, @bot, @name, @template, 'running', @total, @created_by, @now)
            on conflict (id) do nothing
            """, connection, transaction))
        {
            campaign.Parameters.AddWithValue("id", request.Id);
            campaign.Parameters.AddWithValue("bot", botId);
            campaign.Parameters.AddWithValue("name", request.Name);
            campaign.Parameters.AddWithValue("template", request.Template);
            campaign.Parameters.AddWithValue("total", request.Recipients.Length);
            campaign.Parameters.AddWithValue("created_by", request.CreatedBy);
            campaign.Parameters.AddWithValue("now", time.GetUtcNow().UtcDateTime);
            if (await campaign.ExecuteNonQueryAsync() == 0)
            {
                return false;
            }
        }

        await using (var recipients = new NpgsqlCommand("""
            insert into campaign_recipients (campaign_id, position, user_number, variables, status, updated_at)
            select @id, r.n - 1, r.user_number, r.variables, 'pending', @now
            from unnest(@users, @variables) with ordinality as r(user_number, variables, n)
            """, connection, transaction))
        {
            recipients.Parameters.AddWithValue("id", request.Id);
            recipients.Parameters.AddWithValue("now", time.GetUtcNow().UtcDateTime);
            recipients.Parameters.Add(new NpgsqlParameter<string[]>("users", [.. request.Recipients.Select(r => r.UserNumber)]));
            recipients.Parameters.Add(new NpgsqlParameter<string[]>("variables", [.. request.Recipients.Select(r => JsonSerializer.Serialize(r.Values))]));
            await recipients.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return true;
    });

    public Task<IReadOnlyList<PendingRecipient>> NextPendingAsync(string botId, int limit) => BrokenConnections.RetryOnceAsync(dataSource, async () =>
    {
        await using var command = dataSource.CreateCommand("""
            select c.id, r.position, r.user_number, r.variables, c.template, c.name
            from campaigns c
            join lateral (
                select position, user_number, variables from campaign_recipients
                where campaign_id = c.id and status = 'pending' order by position limit @limit) r on true
            where c.bot_id = @bot and c.status = 'running'
            order by c.created_at, c.id, r.position
            limit @limit
            """);
        command.Parameters.AddWithValue("bot", botId);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync();
        var recipients = new List<PendingRecipient>();
        while (await reader.ReadAsync())
        {
            recipients.Add(new PendingRecipient(reader.GetString(0), reader.GetInt32(1), reader.GetString(2),
                JsonSerializer.Deserialize<string[]>(reader.IsDBNull(3) ? "[]" : reader.GetString(3)) ?? [], reader.GetString(4), reader.GetString(5)));
        }

        return (IReadOnlyList<PendingRecipient>)recipients;
    });

    // Only a pending recipient counts: one whose claim committed although its answer was lost is queued, and stays so.
    public Task<bool> RecordFailedAttemptAsync(string campaignId, int position, string reason, int maxAttempts) => BrokenConnections.RetryOnceAsync(dataSource, async () =>
    {
        await using var command = dataSource.CreateCommand("""
            update campaign_recipients
            set attempts = attempts + 1, reason = @reason, updated_at = @now,
                status = case when attempts + 1 >= @max then 'failed' else status end
            where campaign_id = @id and position = @position and status = 'pending'
            returning status
            """);
        command.Parameters.AddWithValue("id", campaignId);
        command.Parameters.AddWithValue("position", position);
        command.Parameters.AddWithValue("reason", reason);
        command.Parameters.AddWithValue("max", maxAttempts);
        command.Parameters.AddWithValue("now", time.GetUtcNow().UtcDateTime);
        return await command.ExecuteScalarAsync() is "failed";
    });

    public Task<int> FinishAsync(string botId) => BrokenConnections.RetryOnceAsync(dataSource, async () =>
    {
        await using var command = dataSource.CreateCommand("""
            with done as (
                update campaigns c set status = 'done', finished_at = @now
                where c.bot_id = @bot and c.status = 'running'
                  and not exists (select 1 from campaign_recipients r where r.campaign_id = c.id and r.status = 'pending')
                returning c.id)
            select count(*) from campaigns where bot_id = @bot and status = 'running' and id not in (select id from done)
            """);
        command.Parameters.AddWithValue("bot", botId);
        command.Parameters.AddWithValue("now", time.GetUtcNow().UtcDateTime);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    });

    public Task<CampaignSummary?> CancelAsync(string botId, string campaignId, string reason) => BrokenConnections.RetryOnceAsync(dataSource, async () =>
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("""
            with stopped as (
                update campaigns set status = 'canceled', finished_at = @now
                where id = @id and bot_id = @bot and status = 'running'
                returning id)
            update campaign_recipients set status = 'canceled', reason = @reason, updated_at = @now
            where campaign_id in (select id from stopped) and status = 'pending'
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("id", campaignId);
            command.Parameters.AddWithValue("bot", botId);
            command.Parameters.AddWithValue("reason", reason);
            command.Parameters.AddWithValue("now", time.GetUtcNow().UtcDateTime);
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return await GetAsync(botId, campaignId);
    });

    public Task<CampaignSummary[]> ListAsync(string botId) => BrokenConnections.RetryOnceAsync<CampaignSummary[]>(dataSource, async () =>
    {
        await using var command = dataSource.CreateCommand(SummarySelect + " where c.bot_id = @bot group by c.id, i.phone_number order by c.created_at desc, c.id");
        command.Parameters.AddWithValue("bot", botId);
        return [.. await ReadSummariesAsync(command)];
    });

    public Task<CampaignSummary?> GetAsync(string botId, string campaignId) => BrokenConnections.RetryOnceAsync(dataSource, async () =>
    {
        await using var command = dataSource.CreateCommand(SummarySelect + " where c.bot_id = @bot and c.id = @id group by c.id, i.phone_number");
        command.Parameters.AddWithValue("bot", botId);
        command.Parameters.AddWithValue("id", campaignId);
        return (await ReadSummariesAsync(command)).FirstOrDefault();
    });

    // The campaign's row is there even when the page is empty (the left join), so a page past the end still says how
    // many recipients there are.
    public Task<Page<CampaignRecipientStatus>> RecipientsAsync(string botId, string campaignId, int offset, int limit) => BrokenConnections.RetryOnceAsync(dataSource, async () =>
    {
        await using var command = dataSource.CreateCommand("""
            select page.position, page.user_number, page.status, page.reason, page.message_id, page.message_status, page.error_code, c.total
            from campaigns c
            left join lateral (
                select r.position, r.user_number, r.status, r.reason, r.message_id, m.status as message_status, m.error_code
                from campaign_recipients r left join messages m on m.id = r.message_id
                where r.campaign_id = c.id
                order by r.position offset @offset limit @limit) page on true
            where c.bot_id = @bot and c.id = @id
            order by page.position
            """);
        command.Parameters.AddWithValue("bot", botId);
        command.Parameters.AddWithValue("id", campaignId);
        command.Parameters.AddWithValue("offset", offset);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync();
        var items = new List<CampaignRecipientStatus>();
        var total = 0;
        while (await reader.ReadAsync())
        {
            total = reader.GetInt32(7);
            if (reader.IsDBNull(0))
            {
                continue;
            }

            items.Add(new CampaignRecipientStatus(reader.GetInt32(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return new Page<CampaignRecipientStatus>([.. items], total, offset, limit);
    });

    private static async Task<List<CampaignSummary>> ReadSummariesAsync(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var summaries = new List<CampaignSummary>();
        while (await reader.ReadAsync())
        {
            summaries.Add(new CampaignSummary(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetInt32(5), (int)reader.GetInt64(8), (int)reader.GetInt64(9), (int)reader.GetInt64(10), (int)reader.GetInt64(11),
                new DateTimeOffset(reader.GetDateTime(6), TimeSpan.Zero), reader.IsDBNull(7) ? null : new DateTimeOffset(reader.GetDateTime(7), TimeSpan.Zero))
            {
                Sent = (int)reader.GetInt64(12),
                Failed = (int)reader.GetInt64(13),
            });
        }

        return summaries;
    }
}
