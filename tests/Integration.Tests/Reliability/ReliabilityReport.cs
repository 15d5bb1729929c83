using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Sandbox;

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
    /// <summary>How long the webhooks took to be answered (any status), in milliseconds: median and 99th percentile.</summary>
    public double? AckP50Ms { get; init; }

    public double? AckP99Ms { get; init; }

    /// <summary>The same for the webhooks sent while the fault lasted (<see cref="FaultSeconds"/>).</summary>
    public double? FaultAckP50Ms { get; init; }

    public double? FaultAckP99Ms { get; init; }

    public double FaultSeconds { get; init; }

    /// <summary>
    /// From the moment the fault was undone (e.g. a silo started again) until every message acknowledged before it had
    /// its first reply sent; empty where the fault has no such moment.
    /// </summary>
    public double? BacklogAnsweredSeconds { get; init; }

    /// <summary>What happened when, in seconds from the fault (e.g. when Orleans declared the killed silos dead).</summary>
    public string Timeline { get; init; } = "";

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

            foreach (var (reply, index) in carrying)
            {
                if (reply.From != "whatsapp:" + message.Bot || reply.To != "whatsapp:" + message.User
                    || !replies[AnswerStart(replies, index)].Body.Contains("Tenant " + message.Bot, StringComparison.Ordinal))
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

        var answeredWebhooks = stream.Sent.Where(m => m.Status != 0).ToList();
        return new ReliabilityReport(scenario, stream.Sent.Count, accepted.Count, stream.Sent.Count - accepted.Count, replies.Count,
            answered, failed, failedWithoutFallback, lost, duplicates, outOfOrder, crossTenant, (DateTime.UtcNow - started).TotalSeconds)
        {
            AckP50Ms = AckPercentile(answeredWebhooks, 0.50),
            AckP99Ms = AckPercentile(answeredWebhooks, 0.99),
        };
    }

    /// <summary>
    /// Adds what the fault's window looked like: acknowledgement latency of the webhooks sent during it, and, when the
    /// fault was undone at <paramref name="recoveredFrom"/>, how long until everything acknowledged before had a reply.
    /// </summary>
    public ReliabilityReport WithFault(ProcessCluster cluster, SteadyStream stream, DateTime from, DateTime to, DateTime? recoveredFrom, string timeline)
    {
        var during = stream.Sent.Where(m => m.Status != 0 && m.SentAt >= from && m.SentAt < to).ToList();
        double? backlog = null;
        if (recoveredFrom is { } recovered)
        {
            var replies = cluster.Upstreams.TwilioMessages;
            var lastFirstReply = stream.Sent.Where(m => m.Accepted && m.AcknowledgedAt < recovered)
                .Select(m => replies.Where(r => r.Body.Contains(m.Token, StringComparison.Ordinal)).Select(r => r.ReceivedAt.UtcDateTime).DefaultIfEmpty(DateTime.MaxValue).Min())
                .DefaultIfEmpty(recovered)
                .Max();
            // A message with no reply at all is counted as lost; the backlog then has no end to report.
            backlog = lastFirstReply == DateTime.MaxValue ? null : Math.Round((lastFirstReply - recovered).TotalSeconds, 1);
        }

        return this with
        {
            FaultSeconds = Math.Round((to - from).TotalSeconds, 1),
            FaultAckP50Ms = AckPercentile(during, 0.50),
            FaultAckP99Ms = AckPercentile(during, 0.99),
            BacklogAnsweredSeconds = backlog,
            Timeline = timeline,
        };
    }

    /// <summary>Nearest-rank percentile of the acknowledgement times, in milliseconds (none without webhooks).</summary>
    private static double? AckPercentile(IReadOnlyCollection<StreamMessage> messages, double quantile)
    {
        if (messages.Count == 0)
        {
            return null;
        }

        var sorted = messages.Select(m => (m.AcknowledgedAt - m.SentAt).TotalMilliseconds).Order().ToList();
        return Math.Round(sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)], 1);
    }

    /// <summary>
    /// The first part of the answer a reply belongs to. A long answer (a backlog answered in one turn) is split into
    /// parts and only its first names the instructions used; a conversation has one turn at a time, so its parts are
    /// the replies to that user from that bot since the last one that starts an answer.
    /// </summary>
    private static int AnswerStart(List<SentMessage> replies, int index)
    {
        for (var i = index; i >= 0; i--)
        {
            if (replies[i].From == replies[index].From && replies[i].To == replies[index].To && replies[i].Body.StartsWith("[sandbox]", StringComparison.Ordinal))
            {
                return i;
            }
        }

        return index;
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
