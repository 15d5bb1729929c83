using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Reliability;

/// <summary>What happened to every message of a scenario, counted from the stand-in's records and the message log.</summary>
public sealed record ReliabilityReport(
    string Scenario,
    int Sent,
    int Accepted,
    int Refused,
    int Replies,
    int Answered,
    int MarkedFailed,
    int FailedWithoutFallback,
    int Lost,
    int Duplicates,
    int OutOfOrder,
    int CrossTenant,
    double DrainSeconds)
{
    /// <param name="fallbackOf">
    /// The fallback message of each bot: a message marked failed must have had it sent to its user, unless what failed
    /// was the delivery itself.
    /// </param>
    public static async Task<ReliabilityReport> DrainAndCountAsync(string scenario, ProcessCluster cluster, SteadyStream stream, Func<string, string> fallbackOf, TimeSpan timeout)
    {
        var started = DateTime.UtcNow;
        var accepted = stream.Sent.Where(m => m.Accepted).OrderBy(m => m.Sequence).ToList();
        try
        {
            await WaitForDrainAsync(cluster, accepted.Count, timeout);
        }
        catch (TimeoutException ex)
        {
            var pending = await cluster.Database.QueryAsync(
                "select bot_id, user_number, body, status, created_at from messages where direction = 'inbound' and status in ('received', 'answering') order by id limit 10");
            var logs = string.Join("\n", cluster.Processes.Select(p => $"--- {p.Name} (exited {p.HasExited}) ---\n"
                + string.Join('\n', p.Lines.Where(l => l.Contains("fail:", StringComparison.Ordinal) || l.Contains("error", StringComparison.OrdinalIgnoreCase)).TakeLast(8))));
            throw new TimeoutException($"{ex.Message}\nstill pending: {string.Join("; ", pending.Select(r => string.Join(",", r.Values)))}\n{logs}", ex);
        }

        var rows = await cluster.Database.QueryAsync("select body, status, error_message from messages where direction = 'inbound'");
        var statuses = rows.ToDictionary(r => (string)r["body"]!, r => (string)r["status"]!);

        // A reply that Twilio finally refused cannot be followed by a fallback through the same Twilio.
        var undelivered = rows.Where(r => r["error_message"] is string error && error.StartsWith("reply not delivered", StringComparison.Ordinal))
            .Select(r => (string)r["body"]!).ToHashSet();
        var replies = cluster.Upstreams.TwilioMessages.OrderBy(m => m.ReceivedAt).ToList();

        // A failed turn sends its bot's fallback: Twilio must have been asked to send it, from the bot to that user.
        var fallbacks = replies.Where(r => r.From.StartsWith("whatsapp:", StringComparison.Ordinal) && r.Body == fallbackOf(r.From["whatsapp:".Length..]))
            .Select(r => (r.From["whatsapp:".Length..], r.To["whatsapp:".Length..]))
            .ToHashSet();

        int lost = 0, duplicates = 0, crossTenant = 0, outOfOrder = 0, answered = 0, failed = 0, failedWithoutFallback = 0;
        var replyIndexOf = new Dictionary<string, int>();
        foreach (var message in accepted)
        {
            var status = statuses.GetValueOrDefault(message.Token);
            var carrying = replies.Select((r, i) => (r, i)).Where(x => x.r.Body.Contains(message.Token, StringComparison.Ordinal)).ToList();
            if (carrying.Count > 1)
            {
                duplicates++;
            }

            foreach (var (reply, _) in carrying)
            {
                if (reply.From != "whatsapp:" + message.Bot || reply.To != "whatsapp:" + message.User || !reply.Body.Contains("Tenant " + message.Bot, StringComparison.Ordinal))
                {
                    crossTenant++;
                }
            }

            if (status == "answered" && carrying.Count > 0)
            {
                answered++;
                replyIndexOf[message.Token] = carrying[0].i;
            }
            else if (status == "failed")
            {
                failed++;
                if (!undelivered.Contains(message.Token) && !fallbacks.Contains((message.Bot, message.User)))
                {
                    failedWithoutFallback++;
                }
            }
            else
            {
                lost++;
            }
        }

        // Arrival order is what the product promises. Requests in flight at the same time may arrive either way round,
        // so a pair counts only when the first was acknowledged (stored) before the second was even sent.
        foreach (var user in accepted.GroupBy(m => m.User))
        {
            var answeredMessages = user.Where(m => replyIndexOf.ContainsKey(m.Token)).ToList();
            outOfOrder += answeredMessages.Count(later => answeredMessages.Any(earlier =>
                earlier.AcknowledgedAt < later.SentAt && replyIndexOf[earlier.Token] > replyIndexOf[later.Token]));
        }

        // Beyond the replies that carry a token (checked above): no reply may go to a user from a bot that user never
        // wrote to. A refused webhook may still have been stored and answered, so every sent message counts here.
        var pairs = stream.Sent.Select(m => ("whatsapp:" + m.User, "whatsapp:" + m.Bot)).ToHashSet();
        crossTenant += replies.Count(r => !pairs.Contains((r.To, r.From)));

        return new ReliabilityReport(scenario, stream.Sent.Count, accepted.Count, stream.Sent.Count - accepted.Count, replies.Count,
            answered, failed, failedWithoutFallback, lost, duplicates, outOfOrder, crossTenant, (DateTime.UtcNow - started).TotalSeconds);
    }

    private static Task WaitForDrainAsync(ProcessCluster cluster, int accepted, TimeSpan timeout) =>
        Eventually.TrueAsync(async () =>
        {
            try
            {
                return await cluster.Database.ScalarAsync<long>("select count(*) from messages where direction = 'inbound' and status in ('received', 'answering')") == 0
                    && await cluster.Database.ScalarAsync<long>("select count(*) from messages where direction = 'inbound'") >= accepted;
            }
            catch (Npgsql.NpgsqlException)
            {
                return false;
            }
        }, timeout, "every accepted message to be answered or marked failed");

    public async Task SaveAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, Scenario + ".json"), JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true }));
    }
}
