using System.Globalization;
using System.Text;
using HorizonAI.LoadGenerator.Load;
using HorizonAI.LoadGenerator.Metrics;
using HorizonAI.LoadGenerator.Results;
using HorizonAI.LoadGenerator.Scenario;

namespace HorizonAI.LoadGenerator.Reporting;

/// <summary>Writes bench/results/latest.md from a <see cref="ReportInputs"/>: figures, ceilings, ratios, verdicts.</summary>
public sealed class MarkdownReport(ReportInputs inputs)
{
    private static readonly string[] ProductProcesses = ["silo", "gateway", "postgres"];
    private readonly StringBuilder _text = new();

    private bool Quick => inputs.Setting("profile") == "quick";

    public string Render()
    {
        var pipeline = inputs.Pipeline;
        var verdicts = pipeline is null ? [] : Verdicts(pipeline);
        Line($"# Pipeline benchmark: {(Quick ? "quick smoke run" : "standard scenario")}");
        Line();
        if (Quick)
        {
            Line("> **Smoke run (`--quick`).** The verdicts below judge this run's scaled-down scenario; only the standard run");
            Line("> (`bench/run.sh`, 1,000 msg/s for 60 s over 200 bots x 50,000 users) judges the product's performance targets.");
            Line();
        }

        Line($"- **Command:** `{inputs.Setting("command")}`");
        Line($"- **Date:** {inputs.Setting("date")} · **Commit:** {inputs.Setting("commit")}");
        if (pipeline is null)
        {
            Line("- **Verdict:** no pipeline result: the run failed before measuring (see bench/run.sh's output).");
        }
        else
        {
            var met = verdicts.Count(v => v.Pass);
            Line($"- **Verdict:** {(met == verdicts.Count ? "PASS" : "MISS")} ({met} of {verdicts.Count} criteria met)");
        }

        Line();
        Line("## Machine");
        Line();
        Line(inputs.Machine?.TrimEnd() ?? "(not recorded)");
        Line();
        if (pipeline is not null)
        {
            Scenario(pipeline);
            VerdictTable(verdicts);
            Throughput(pipeline);
            Latency(pipeline);
            Correctness(pipeline);
            Processes(pipeline);
        }

        Ceilings();
        if (pipeline is not null)
        {
            Ratios(pipeline);
            Database(pipeline);
            Statements(pipeline);
            DatabaseActivity();
            SiloMetrics();
            Bounds(pipeline);
            Timeline(pipeline);
        }

        return _text.ToString();
    }

    private void Scenario(PipelineResult result)
    {
        var s = result.Scenario;
        Line("## Scenario");
        Line();
        Line(s.Mode == LoadModes.Open
            ? $"- Open loop: {N(s.Rate)} msg/s on a fixed schedule for {N(s.DurationSeconds)} s ({N(result.Load.Sent)} messages); latency is timed from each message's intended send time, so a stall is charged in full (no coordinated omission)."
            : $"- Closed loop: {s.Concurrency} senders for {N(s.DurationSeconds)} s ({N(result.Load.Sent)} messages); latency is timed from each actual send.");
        Line($"- {N(s.Bots)} bots x {N(s.Users)} users: each user writes to one bot ({N(s.Users)} conversations); message *n* comes from the *n*-th user of a shuffled order, so every conversation is active once {N(s.Users)} messages are sent.");
        Line($"- Stand-ins (tools/Sandbox, its own process): OpenAI +{s.OpenAILatencyMs} ms per request, Twilio +{s.TwilioLatencyMs} ms per request; bots keep the product defaults (typing indicator on, no debounce).");
        Line($"- Webhooks: signed Twilio forms (15 fields, HMAC-SHA1), HTTP/1.1 keep-alive, at most {s.MaxConnections} connections, {N(s.AckTimeoutSeconds)} s to answer (Twilio's limit) before counting as timed out; replies matched by the message tag the sandbox assistant quotes back; drain timeout {N(s.DrainTimeoutSeconds)} s.");
        Line($"- Processes: one Silo, one Gateway (Release builds), the sandbox, PostgreSQL (fsync {inputs.Setting("pg_fsync")}, its own fresh data folder) and the generator, all on the same cores. Product logging: {inputs.Setting("log_level")}.");
        Line($"- Before measuring, a warm-up (JIT tiering, pools, bot grains): {inputs.Setting("warmup")} outside the population, all answered; their conversations stay active.");
        Line();
    }

    private sealed record Verdict(string Criterion, string Standard, string ThisRun, string Measured, bool Pass);

    private List<Verdict> Verdicts(PipelineResult result)
    {
        var s = result.Scenario;
        var load = result.Load;
        var replies = result.Replies;
        var verdicts = new List<Verdict>();
        if (s.Mode == LoadModes.Open)
        {
            var pass = load.Ok == load.Sent
                && load.OfferedRate >= s.Rate * Targets.RateTolerance
                && load.OkRate >= s.Rate * Targets.RateTolerance
                && replies.ReplyRate >= s.Rate * Targets.RateTolerance
                && s.DurationSeconds >= (Quick ? s.DurationSeconds : Targets.DurationSeconds);
            verdicts.Add(new Verdict(
                "Sustained end-to-end throughput",
                $"≥ {N(Targets.Rate)} msg/s for {N(Targets.DurationSeconds)} s",
                $"≥ {N(s.Rate)} msg/s for {N(s.DurationSeconds)} s",
                $"offered {N(load.OfferedRate)}/s, acknowledged {N(load.OkRate)}/s ({N(load.Ok)} of {N(load.Sent)}), answered {N(replies.ReplyRate)}/s",
                pass));
        }

        verdicts.Add(new Verdict("Lost replies", "0", "0", $"{N(replies.Lost)}{(replies.DrainTimedOut ? $" (after the {N(s.DrainTimeoutSeconds)} s drain timeout)" : "")}", replies.Lost == 0 && load.Ok > 0));
        verdicts.Add(new Verdict("Duplicate replies", "0", "0", $"{N(replies.Duplicated)} duplicated, {N(replies.Misrouted)} misrouted", replies.Duplicated == 0 && replies.Misrouted == 0));
        verdicts.Add(new Verdict(
            "Webhook acknowledgement p99",
            $"≤ {N(Targets.AckP99Ms)} ms",
            $"≤ {N(Targets.AckP99Ms)} ms",
            load.Ack is { } ack ? $"{F(ack.P99)} ms" : "none acknowledged",
            load.Ack is { } a && a.P99 <= Targets.AckP99Ms));
        var silo = result.Processes.FirstOrDefault(p => p.Name == "silo");
        var siloPeak = silo is null ? (double?)null : Math.Max(silo.PeakRssMiB, silo.MaxSampledRssMiB);

        // The Silo's own count of live conversation grains when it publishes one (it includes the warm-up's),
        // else the conversations this run wrote to.
        var active = ActiveConversations() is { } grains ? (long)grains : replies.Conversations;
        var activeText = ActiveConversations() is not null ? "conversation grains active (Silo metrics)" : "conversations written to";
        verdicts.Add(new Verdict(
            "Silo memory",
            $"≤ 1 GiB with {N(Targets.Conversations)} conversations active",
            $"≤ 1 GiB with {N(s.Users)} conversations active",
            siloPeak is { } peak ? $"peak RSS {N(peak)} MiB with {N(active)} {activeText}" : "silo not watched",
            siloPeak is { } p && p <= Targets.SiloMemoryMiB && active >= s.Users));
        var commits = PerMessage(result, "xact_commit");
        verdicts.Add(new Verdict(
            "Database commits per message stored",
            $"≤ {F(Targets.CommitsPerMessage, 1)}",
            $"≤ {F(Targets.CommitsPerMessage, 1)}",
            commits is { } c ? $"{F(c, 2)} (`pg_stat_database` xact_commit delta ÷ messages stored)" : "not measured",
            commits is { } cc && cc <= Targets.CommitsPerMessage));
        var product = result.Processes.Where(p => ProductProcesses.Contains(p.Name)).ToList();
        verdicts.Add(new Verdict(
            "Product CPU per message stored",
            $"≤ {F(Targets.ProductCpuMsPerMessage, 1)} ms",
            $"≤ {F(Targets.ProductCpuMsPerMessage, 1)} ms",
            product.Count == ProductProcesses.Length
                ? $"{F(product.Sum(p => p.CpuMsPerMessage), 2)} ms ({string.Join(" + ", product.Select(p => $"{p.Name} {F(p.CpuMsPerMessage, 2)}"))}); generator and stand-ins apart: {F(result.Processes.Except(product).Sum(p => p.CpuMsPerMessage), 2)} ms"
                : "not measured",
            product.Count == ProductProcesses.Length && product.Sum(p => p.CpuMsPerMessage) <= Targets.ProductCpuMsPerMessage));
        return verdicts;
    }

    private double? ActiveConversations() =>
        inputs.SiloMetrics.Sum("orleans_catalog_activations", ("grain_type", "conversation"));

    private void VerdictTable(List<Verdict> verdicts)
    {
        Line("## Targets");
        Line();
        Line("| Criterion | Standard target | This run's target | Measured | Verdict |");
        Line("|---|---|---|---|---|");
        foreach (var v in verdicts)
        {
            Line($"| {v.Criterion} | {v.Standard} | {v.ThisRun} | {v.Measured} | **{(v.Pass ? "PASS" : "MISS")}** |");
        }

        Line();
    }

    private void Throughput(PipelineResult result)
    {
        var load = result.Load;
        var replies = result.Replies;
        Line("## Throughput");
        Line();
        Line("| Figure | Value |");
        Line("|---|---|");
        Line($"| Offered (messages sent per second of the schedule) | {N(load.OfferedRate)} msg/s over {F(load.ScheduleSeconds)} s |");
        Line($"| Acknowledged (200 per second, first send to last acknowledgement) | {N(load.OkRate)} acks/s over {F(load.WindowSeconds)} s |");
        Line($"| Answered end to end (messages per second, first to last reply) | {N(replies.ReplyRate)} replies/s, replies from {F(replies.FirstReplySeconds)} s to {F(replies.LastReplySeconds)} s |");
        Line($"| Drain (last acknowledgement to last reply) | {F(replies.DrainSeconds)} s{(replies.DrainTimedOut ? " (timed out)" : "")} |");
        Line();
    }

    private void Latency(PipelineResult result)
    {
        Line("## Latency (ms)");
        Line();
        Line("| Measure | count | p50 | p90 | p99 | p99.9 | max | mean |");
        Line("|---|---|---|---|---|---|---|---|");
        LatencyRow("Webhook acknowledgement (from intended send time)", result.Load.Ack);
        LatencyRow("End to end: intended send to reply at the Twilio stand-in", result.Replies.EndToEnd);
        LatencyRow("End to end minus the stand-ins' injected latency", result.Replies.Overhead);
        LatencyRow("Generator dispatch lag (its own lateness, inside the above)", result.Load.DispatchLag);
        Line();
        var s = result.Scenario;
        Line($"The injected latency subtracted per message is {N(StandInLatency.Milliseconds(s, true))} ms for a conversation's first turn (create the OpenAI conversation, then the Responses call alongside the typing indicator, then the Twilio send) and {N(StandInLatency.Milliseconds(s, false))} ms after that.");
        Line();
    }

    private void LatencyRow(string name, LatencySummary? summary) =>
        Line(summary is null
            ? $"| {name} | 0 | – | – | – | – | – | – |"
            : $"| {name} | {N(summary.Count)} | {F(summary.P50)} | {F(summary.P90)} | {F(summary.P99)} | {F(summary.P999)} | {F(summary.Max)} | {F(summary.Mean)} |");

    private void Correctness(PipelineResult result)
    {
        var load = result.Load;
        var replies = result.Replies;
        var counters = result.SandboxCounters;
        string Counter(string name) => counters.TryGetValue(name, out var value) ? value.ToString() : "?";
        Line("## Correctness");
        Line();
        Line("| Figure | Value |");
        Line("|---|---|");
        Line($"| Messages sent | {N(load.Sent)} |");
        Line($"| Webhook answers by status | {string.Join(", ", load.Statuses.Select(kv => $"{kv.Key}: {N(kv.Value)}"))} |");
        Line($"| Messages answered (quoted by a reply) | {N(replies.Answered)} |");
        Line($"| Lost (acknowledged 200, never answered) | {N(replies.Lost)} |");
        Line($"| Answered although the webhook got no 200 (e.g. timed out after being stored) | {N(replies.AnsweredUnacknowledged)} |");
        Line($"| Duplicated (answered more than once) | {N(replies.Duplicated)} |");
        Line($"| Misrouted replies (wrong user or bot) | {N(replies.Misrouted)} |");
        Line($"| Replies quoting no message of this run (fallbacks, leftovers) | {N(replies.Untagged)} |");
        Line($"| Replies recorded by the Twilio stand-in | {N(replies.RepliesSeen)} (several messages of one user can share one reply) |");
        Line($"| Conversations with a message | {N(replies.Conversations)} |");
        Line($"| OpenAI stand-in: `conversation_locked` refusals / most concurrent turns on one conversation | {Counter("conversationLockedCount")} / {Counter("maxConcurrentTurnsPerConversation")} |");
        Line($"| Requests the stand-ins refused (OpenAI / Twilio) | {Counter("openAIRejectedCount")} / {Counter("twilioRejectedCount")} |");
        Line();
    }

    private void Processes(PipelineResult result)
    {
        Line("## Processes");
        Line();
        Line($"CPU over the measured window ({F(result.CpuWindowSeconds)} s, first send to the end of the drain), per message stored (acknowledged with 200); memory from `/proc/<pid>/status`.");
        Line();
        Line("| Process | PID | CPU s | avg cores | CPU ms / message | peak RSS (VmHWM) | max RSS seen | RSS at end |");
        Line("|---|---|---|---|---|---|---|---|");
        foreach (var p in result.Processes)
        {
            var peak = p.Tree ? "–" : $"{N(p.PeakRssMiB)} MiB";
            var suffix = p.Tree ? " (+ backends; RSS = private memory)" : "";
            var alive = p.AliveAtEnd ? "" : " **(exited!)**";
            Line($"| {p.Name}{suffix}{alive} | {p.Pid} | {F(p.CpuSeconds)} | {F(p.AverageCores)} | {F(p.CpuMsPerMessage, 3)} | {peak} | {N(p.MaxSampledRssMiB)} MiB | {N(p.EndRssMiB)} MiB |");
        }

        var total = result.Processes.Sum(p => p.AverageCores);
        Line($"| **all of the above** | | {F(result.Processes.Sum(p => p.CpuSeconds))} | {F(total)} of {result.Machine.Cores} | {F(result.Processes.Sum(p => p.CpuMsPerMessage), 3)} | | | |");
        Line($"| other processes on the machine (not started by the benchmark) | | | {F(result.Machine.OtherCores)} | | | | |");
        Line();
        if (result.Machine.OtherCores > 0.1)
        {
            Line($"> **Warning:** other processes used {F(result.Machine.OtherCores)} cores on average during the measured window (of {result.Machine.Cores}): the machine was not quiet, and every figure here is lower than this machine can do. Run again when nothing else is running.");
            Line();
        }
    }

    private void Ceilings()
    {
        Line("## This machine's ceilings (measured in the same run)");
        Line();
        Line("| Ceiling | Result | How |");
        Line("|---|---|---|");
        if (inputs.CeilingClosed is { } closed)
        {
            Line($"| Bare Kestrel webhook endpoint, this generator, closed loop | **{N(closed.Load.OkRate)} req/s** (p50 {F(closed.Load.Ack?.P50)} ms, p99 {F(closed.Load.Ack?.P99)} ms; generator used {F(closed.GeneratorCpuSeconds)} CPU s) | bench/Ceiling parses the same signed form and answers empty TwiML; {closed.Load.Concurrency} connections, {N(closed.DurationSeconds)} s |");
        }
        else
        {
            Line("| Bare Kestrel, this generator | not measured | |");
        }

        var wrkRate = ToolOutput.WrkRequestsPerSecond(inputs.Wrk);
        Line(wrkRate is { } rate
            ? $"| Bare Kestrel webhook endpoint, wrk | **{N(rate)} req/s** (p50 {F(ToolOutput.WrkPercentileMs(inputs.Wrk, "50%"))} ms, p99 {F(ToolOutput.WrkPercentileMs(inputs.Wrk, "99%"))} ms) | `{inputs.Setting("wrk_command")}` |"
            : $"| Bare Kestrel webhook endpoint, wrk | not measured: {inputs.Setting("wrk_status", "wrk did not run")} | |");
        if (inputs.CeilingOpen is { } open)
        {
            Line($"| Bare Kestrel at the scenario's rate, open loop | p50 {F(open.Load.Ack?.P50)} ms, p99 {F(open.Load.Ack?.P99)} ms, p99.9 {F(open.Load.Ack?.P999)} ms at {N(open.Load.OfferedRate)} req/s | the floor under our acknowledgement latency; {N(open.DurationSeconds)} s |");
        }

        var many = ToolOutput.PgbenchTps(inputs.PgbenchMany);
        var one = ToolOutput.PgbenchTps(inputs.PgbenchOne);
        Line($"| PostgreSQL durable single-row inserts, {inputs.Setting("pgbench_clients")} clients | {(many is { } m ? $"**{N(m)} tx/s** (latency {F(ToolOutput.PgbenchLatencyMs(inputs.PgbenchMany))} ms)" : "not measured")} | pgbench, one INSERT per transaction, {inputs.Setting("pgbench_seconds")} s, fsync {inputs.Setting("pg_fsync")}, synchronous_commit on |");
        Line($"| PostgreSQL durable single-row inserts, 1 client | {(one is { } o ? $"**{N(o)} tx/s** (latency {F(ToolOutput.PgbenchLatencyMs(inputs.PgbenchOne))} ms)" : "not measured")} | same, {inputs.Setting("pgbench_one_seconds")} s |");
        Line();
    }

    private void Ratios(PipelineResult result)
    {
        var load = result.Load;
        var replies = result.Replies;
        Line("## Our figures as ratios of the ceilings");
        Line();
        Line("At a fixed offered rate the throughput ratios say how much of the machine's bare HTTP capacity the scenario takes, not the most the platform could reach; the last rows estimate that from the measured cost per message.");
        Line();
        Line("| Figure | Ours | Ceiling | Ratio |");
        Line("|---|---|---|---|");
        if (inputs.CeilingClosed is { } closed && closed.Load.OkRate > 0)
        {
            Line($"| Acknowledged webhooks/s vs bare Kestrel (generator) | {N(load.OkRate)} | {N(closed.Load.OkRate)} | {Pct(load.OkRate / closed.Load.OkRate)} |");
            Line($"| Answered messages/s vs bare Kestrel (generator) | {N(replies.ReplyRate)} | {N(closed.Load.OkRate)} | {Pct(replies.ReplyRate / closed.Load.OkRate)} |");
        }

        if (ToolOutput.WrkRequestsPerSecond(inputs.Wrk) is { } wrk && wrk > 0)
        {
            Line($"| Acknowledged webhooks/s vs bare Kestrel (wrk) | {N(load.OkRate)} | {N(wrk)} | {Pct(load.OkRate / wrk)} |");
        }

        if (inputs.CeilingOpen is { Load.Ack: { } floor } && load.Ack is { } ack)
        {
            Line($"| Acknowledgement p50 at the same rate | {F(ack.P50)} ms | {F(floor.P50)} ms | {Times(ack.P50 / floor.P50)} |");
            Line($"| Acknowledgement p99 at the same rate | {F(ack.P99)} ms | {F(floor.P99)} ms | {Times(ack.P99 / floor.P99)} |");
        }

        var writes = PerMessage(result, "next_xid");
        if (ToolOutput.PgbenchTps(inputs.PgbenchMany) is { } tps && writes is > 0)
        {
            var allowed = tps / writes.Value;
            Line($"| Messages/s the database allows: pgbench durable inserts/s ÷ {F(writes.Value, 2)} write transactions per message | {N(replies.ReplyRate)} | {N(allowed)} | {Pct(replies.ReplyRate / allowed)} |");
        }

        var allCpu = result.Processes.Sum(p => p.CpuMsPerMessage);
        var productCpu = result.Processes.Where(p => ProductProcesses.Contains(p.Name)).Sum(p => p.CpuMsPerMessage);
        if (allCpu > 0)
        {
            var allowed = result.Machine.Cores * 1000 / allCpu;
            Line($"| Messages/s the cores allow at the measured CPU cost ({F(allCpu, 2)} CPU ms per message, every process on the box) | {N(replies.ReplyRate)} | {N(allowed)} | {Pct(replies.ReplyRate / allowed)} |");
        }

        if (productCpu > 0)
        {
            var allowed = result.Machine.Cores * 1000 / productCpu;
            Line($"| Same, product only (Silo + Gateway + PostgreSQL: {F(productCpu, 2)} CPU ms per message) | {N(replies.ReplyRate)} | {N(allowed)} | {Pct(replies.ReplyRate / allowed)} |");
        }

        Line();
    }

    private double? PerMessage(PipelineResult result, string key) =>
        inputs.DatabaseBefore.TryGetValue(key, out var before) && inputs.DatabaseAfter.TryGetValue(key, out var after)
        && double.TryParse(before, NumberStyles.Float, CultureInfo.InvariantCulture, out var b)
        && double.TryParse(after, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
        && result.Load.Ok > 0
            ? (a - b) / result.Load.Ok
            : null;

    private void Database(PipelineResult result)
    {
        Line("## Database work per message");
        Line();
        Line("Deltas of `pg_stat_database` (the product's database) and `pg_stat_wal` around the measured run, divided by the messages stored (acknowledged with 200: a refused webhook stores nothing and costs little).");
        Line();
        Line("| Counter | per message |");
        Line("|---|---|");
        foreach (var (key, label) in new[]
        {
            ("next_xid", "write transactions (each waits for a WAL flush)"),
            ("xact_commit", "transactions committed (read-only ones too)"),
            ("xact_rollback", "transactions rolled back"),
            ("tup_inserted", "rows inserted"),
            ("tup_updated", "rows updated"),
            ("tup_deleted", "rows deleted"),
            ("tup_returned", "rows read (returned)"),
            ("wal_records", "WAL records"),
            ("wal_bytes", "WAL bytes"),
            ("wal_write", "WAL writes"),
            ("wal_sync", "WAL fsyncs"),
        })
        {
            Line($"| {label} | {(PerMessage(result, key) is { } value ? F(value, 2) : "–")} |");
        }

        Line();
        if (inputs.DatabaseAfter.TryGetValue("reminder_rows", out var reminders))
        {
            Line($"Left in the tables after the drain: {reminders} Orleans reminder row(s) (the recovery sweep's, one per shard), {inputs.DatabaseAfter.GetValueOrDefault("grain_state_rows", "?")} grain state rows, {inputs.DatabaseAfter.GetValueOrDefault("message_rows", "?")} message rows.");
            Line();
        }
    }

    private void Statements(PipelineResult result)
    {
        var rows = ToolOutput.Rows(inputs.Statements, 5);
        if (rows.Count == 0 || result.Load.Ok == 0)
        {
            return;
        }

        Line("### Statements the product ran (pg_stat_statements, measured run only, by calls)");
        Line();
        Line("Execution time excludes the commit's WAL flush, which the wait states below show.");
        Line();
        Line("| calls / message | mean ms | total s | rows | statement |");
        Line("|---|---|---|---|---|");
        foreach (var row in rows)
        {
            var calls = double.Parse(row[0], CultureInfo.InvariantCulture);
            var total = double.Parse(row[1], CultureInfo.InvariantCulture) / 1000;
            Line($"| {F(calls / result.Load.Ok, 2)} | {row[2]} | {F(total, 2)} | {row[3]} | `{row[4].Replace("|", "\\|", StringComparison.Ordinal).Replace("`", "'", StringComparison.Ordinal)}` |");
        }

        Line();
    }

    private void DatabaseActivity()
    {
        var rows = ToolOutput.Rows(inputs.DatabaseActivity, 2);
        var samples = rows.Where(r => r[0] == "sample").Sum(r => double.Parse(r[1], CultureInfo.InvariantCulture));
        if (samples == 0)
        {
            return;
        }

        var states = rows.Where(r => r[0] != "sample")
            .GroupBy(r => r[0])
            .Select(g => (State: g.Key, Average: g.Sum(r => double.Parse(r[1], CultureInfo.InvariantCulture)) / samples))
            .OrderByDescending(s => s.Average)
            .ToList();
        Line("### What the product's database connections were doing");
        Line();
        Line($"`pg_stat_activity` sampled four times a second during the measured run ({N(samples)} samples): the average number of connections in each state. `Client:ClientRead / idle` is a pooled connection waiting for the application; `IO:WALSync`, `IO:WALWrite` and `LWLock:WALWrite` are commits waiting for the WAL to reach the disk; `Lock:…` is row or transaction lock contention.");
        Line();
        Line("| wait event / state | average connections |");
        Line("|---|---|");
        foreach (var (state, average) in states)
        {
            Line($"| {state} | {F(average, 2)} |");
        }

        Line();
    }

    private void SiloMetrics()
    {
        var metrics = inputs.SiloMetrics;
        if (metrics.IsEmpty)
        {
            return;
        }

        Line("## From the Silo's own metrics (`/metrics` at the end of the run, counting since it started)");
        Line();
        Line("| Series | Value |");
        Line("|---|---|");
        void Gauge(string label, double? value)
        {
            if (value is { } v)
            {
                Line($"| {label} | {N(v)} |");
            }
        }

        void Histogram(string label, HistogramSummary? summary)
        {
            if (summary is { } h)
            {
                Line($"| {label} | {N(h.Count)} calls, mean {F(h.Mean)} ms, p50 ≤ {F(h.P50UpperBound, 0)} ms, p99 ≤ {F(h.P99UpperBound, 0)} ms |");
            }
        }

        Gauge("Conversation grains active", ActiveConversations());
        Gauge("Bot grains active", metrics.Sum("orleans_catalog_activations", ("grain_type", "bot")));
        Gauge("Inbox backlog, all bots", metrics.Sum("horizonai_inbox_backlog"));
        Histogram("Grain state writes (`orleans_storage_write_latency`)", metrics.Histogram("orleans_storage_write_latency_milliseconds"));
        Histogram("Grain state reads (`orleans_storage_read_latency`)", metrics.Histogram("orleans_storage_read_latency_milliseconds"));
        Histogram("Grain activations (`orleans_catalog_activation_latency`)", metrics.Histogram("orleans_catalog_activation_latency_milliseconds"));
        Histogram("Grain calls (`orleans_app_requests_latency`)", metrics.Histogram("orleans_app_requests_latency_milliseconds"));
        Line();
    }

    private void Bounds(PipelineResult result)
    {
        Line("## What bounds throughput (computed from the figures above)");
        Line();
        var cores = result.Machine.Cores;
        var used = result.Processes.Sum(p => p.AverageCores);
        if (result.Machine.OtherCores > 0.1)
        {
            Line($"- **Not a clean measurement:** processes outside the benchmark used {F(result.Machine.OtherCores)} of {cores} cores during the window; they took CPU from every process below and from the ceilings' runs.");
        }

        Line(used >= 0.85 * cores
            ? $"- **CPU:** the processes used {F(used)} of {cores} cores on average over the window ({Pct(used / cores)}): the machine is CPU-bound at this load."
            : $"- **CPU:** the processes used {F(used)} of {cores} cores on average over the window ({Pct(used / cores)}); see the timeline for the busiest slices.");
        var ranked = result.Processes.OrderByDescending(p => p.CpuMsPerMessage).ToList();
        Line($"- **Who spends it:** {string.Join(", ", ranked.Select(p => $"{p.Name} {F(p.CpuMsPerMessage, 3)} ms"))} of CPU per message.");
        if (PerMessage(result, "next_xid") is { } writes && ToolOutput.PgbenchTps(inputs.PgbenchMany) is { } tps)
        {
            var needed = writes * result.Load.OkRate;
            Line($"- **Database:** {F(writes, 2)} write transactions per message, so {N(needed)}/s at the {N(result.Load.OkRate)} msg/s stored against {N(tps)} durable single-row inserts/s measured with {inputs.Setting("pgbench_clients")} pgbench clients ({Pct(needed / tps)}); {(PerMessage(result, "xact_commit") is { } commits ? F(commits, 1) : "–")} transactions in all and {(PerMessage(result, "wal_sync") is { } syncs ? F(syncs, 2) : "–")} WAL fsyncs per message (group commit shares one fsync among concurrent commits).");
        }

        var discards = ToolOutput.Rows(inputs.Statements, 5).FirstOrDefault(r => r[4].StartsWith("DISCARD ALL", StringComparison.Ordinal));
        if (discards is not null && result.Load.Ok > 0 && double.Parse(discards[0], CultureInfo.InvariantCulture) / result.Load.Ok is > 1 and var perMessage)
        {
            Line($"- **Connection resets:** {F(perMessage, 1)} `DISCARD ALL` per message: Npgsql resets the session every time a pooled connection is opened again (its default, `No Reset On Close=false`); each is an extra statement and transaction for PostgreSQL and throws away prepared statements.");
        }

        if (result.Load.DispatchLag is { P99: > 5 } lag)
        {
            Line($"- **Generator:** its dispatch lag p99 was {F(lag.P99)} ms: it could not always send on time (it shares the cores); those delays are charged to the acknowledgement latency.");
        }

        var s = result.Scenario;
        if (s.Mode == LoadModes.Open && result.Replies.ReplyRate < s.Rate * Targets.RateTolerance)
        {
            Line($"- **Backlog:** replies came at {N(result.Replies.ReplyRate)}/s against {N(s.Rate)}/s offered: the pipeline fell behind and drained for {F(result.Replies.DrainSeconds)} s after the last acknowledgement.");
        }

        if (result.Load.Ack is { } ack && inputs.CeilingOpen is { Load.Ack: { } floor })
        {
            Line($"- **Acknowledgement path:** p99 {F(ack.P99)} ms vs {F(floor.P99)} ms for bare Kestrel at the same rate; the difference is the Gateway's signature check, the wait for an admission permit when the Gateway is saturated, the Orleans calls and the commit of the inbound row before the 200 (shared with other writes by the Silo's group commit, which waits up to its delay for company under load).");
        }

        Line();
    }

    private void Timeline(PipelineResult result)
    {
        var names = result.Processes.Select(p => p.Name).Append(TimelineBuilder.OtherProcesses).ToList();
        Line("## Timeline");
        Line();
        Line("Per slice: messages by intended send time, acknowledgement p99 of those messages, replies by arrival time, CPU % per process (100 = one core) and Silo RSS at the slice's end.");
        Line();
        Line($"| t (s) | sent | ack 200 | ack p99 ms | answered | {string.Join(" | ", names.Select(n => n + " CPU %"))} | silo RSS MiB |");
        Line($"|---|---|---|---|---|{string.Concat(names.Select(_ => "---|"))}---|");
        foreach (var row in result.Timeline)
        {
            var cpu = string.Join(" | ", names.Select(n => row.CpuPercent.TryGetValue(n, out var v) ? F(v, 0) : "–"));
            var rss = row.RssMiB.TryGetValue("silo", out var silo) ? N(silo) : "–";
            Line($"| {F(row.StartSeconds, 0)}–{F(row.EndSeconds, 0)} | {N(row.Sent)} | {N(row.Ok)} | {(row.AckP99Ms is { } p ? F(p) : "–")} | {N(row.Answered)} | {cpu} | {rss} |");
        }

        Line();
    }

    private void Line(string text = "") => _text.Append(text).Append('\n');

    private static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double? value, int decimals = 1) =>
        value is { } v ? v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "–";

    private static string Pct(double ratio) => (ratio * 100).ToString("F1", CultureInfo.InvariantCulture) + " %";

    private static string Times(double ratio) => "x" + ratio.ToString("F1", CultureInfo.InvariantCulture);
}
