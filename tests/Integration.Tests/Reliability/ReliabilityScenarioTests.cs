using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Reliability;

/// <summary>
/// Real processes (two silos, one gateway, a PostgreSQL of the test's own, the stand-ins) under a steady stream of
/// signed webhooks across 50 bots and 500 users, while one fault is applied. Afterwards every accepted message must
/// be answered or marked failed, in order, by its own bot. CI runs the short version; set
/// <c>HORIZONAI_RELIABILITY_LONG=1</c> for the long one (docs/reliability.md).
/// </summary>
public sealed class ReliabilityScenarioTests(ITestOutputHelper output)
{
    private static readonly bool Long = Environment.GetEnvironmentVariable("HORIZONAI_RELIABILITY_LONG") == "1";
    private static readonly TimeSpan Duration = Long ? TimeSpan.FromSeconds(150) : TimeSpan.FromSeconds(30);
    private static readonly int Rate = Long ? 40 : 20;

    /// <summary>How long no silo runs at all in the kill-9-every-silo scenario.</summary>
    private static readonly TimeSpan SiloOutage = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("kill-9-silo")]
    [InlineData("kill-9-every-silo")]
    [InlineData("postgres-restart")]
    [InlineData("rolling-restart")]
    [InlineData("openai-outage")]
    [InlineData("twilio-429-storm")]
    public async Task NothingAcceptedIsLostDuplicatedReorderedOrCrossedUnderFault(string scenario)
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var cluster = await ProcessCluster.StartAsync(postgres.ConnectionString);
        cluster.ExtraSettings["UPSTREAM_TOTAL_TIMEOUT_SECONDS"] = Long ? "90" : "45";
        var (gateway, http) = cluster.StartGateway();
        var silos = new List<ProductProcess> { cluster.StartSilo("silo-a"), cluster.StartSilo("silo-b") };
        await cluster.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(120), gateway);
        await WaitForActiveSilosAsync(cluster, 2);

        var bots = Enumerable.Range(0, 50).Select(i => $"+1555{4400000 + i}").ToArray();
        static string FallbackOf(string bot) => "Fallback " + bot;
        var backup = bots.Select(b => new { name = "Tenant " + b, twilio_phone_number = b, instructions = "Tenant " + b, fallback_message = FallbackOf(b) }).ToArray();
        var import = await http.PostAsJsonAsync("/bots/import", backup);
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var users = Enumerable.Range(0, 500).Select(i => $"+5698{1000000 + i}").ToArray();

        // With every silo down, the stream goes on after one is back for as long as it does after the other faults.
        var stream = new SteadyStream(new WebhookClient(http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') }, bots, users, scenario);
        using var stop = new CancellationTokenSource(scenario == "kill-9-every-silo" ? Duration + SiloOutage : Duration);
        var load = stream.RunAsync(Rate, stop.Token);
        await Task.Delay(Duration / 3);
        var fault = await ApplyFaultAsync(scenario, cluster, postgres, silos);
        await load;

        var report = await ReliabilityReport.DrainAndCountAsync(scenario, cluster, stream, FallbackOf, TimeSpan.FromMinutes(5));
        report = report.WithFault(cluster, stream, fault.From, await fault.Ended, fault.RecoveredFrom, await fault.TimelineAsync());
        output.WriteLine(report.ToString());
        await report.SaveAsync(Path.Combine(ProductProcess.RepositoryRoot, "artifacts", "reliability"));

        // The fault really happened; a scenario whose fault did not take effect proves nothing.
        output.WriteLine("fault evidence: " + await fault.AssertHappenedAsync());
        Assert.True(report.Accepted > Rate * Duration.TotalSeconds / 3, $"too few messages were accepted: {report}");
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.FailedWithoutFallback);
        Assert.Equal(0, report.OutOfOrder);
        Assert.Equal(0, report.CrossTenant);

        // A webhook is acknowledged once the Gateway has committed its row, which takes PostgreSQL alone: no fault of
        // the silos or the upstreams may refuse one. (A PostgreSQL restart may, beyond the store budget; it is counted.)
        if (scenario != "postgres-restart")
        {
            Assert.True(report.Refused == 0, $"webhooks refused: {report}");
        }

        switch (scenario)
        {
            case "kill-9-silo":
                // Only a crash between Twilio accepting a part and the silo recording it can repeat a reply.
                Assert.True(report.Duplicates <= 2, report.ToString());
                break;
            case "kill-9-every-silo":
                // Nothing failed for want of a silo: every message stored meanwhile is answered once when one returns.
                Assert.Equal(0, report.Duplicates);
                Assert.Equal(0, report.MarkedFailed);
                Assert.Equal(report.Accepted, report.Answered);
                break;
            default:
                Assert.Equal(0, report.Duplicates);
                break;
        }
    }

    /// <summary>Applies the fault and returns the check, run after the drain, that it took effect.</summary>
    private async Task<Fault> ApplyFaultAsync(string scenario, ProcessCluster cluster, PrivatePostgres postgres, List<ProductProcess> silos)
    {
        Fault fault;
        var from = DateTime.UtcNow;
        switch (scenario)
        {
            case "kill-9-silo":
                var victim = silos[0];
                await victim.KillAsync();
                var victimDead = WhenAsync(async () => await CountMembersAsync(cluster, "status = 6") == 1, "the killed silo to be declared dead");
                silos.Add(cluster.StartSilo("silo-c"));

                // 128 + SIGKILL: killed, not stopped. The fault lasts until Orleans has declared the silo dead.
                fault = new Fault(from, () => Task.FromResult((victim.HasExited && victim.ExitCode == 137, $"{victim.Name} exited with {victim.ExitCode}")))
                {
                    Ended = victimDead,
                    Timeline = [($"{victim.Name} declared dead", victimDead)],
                };
                break;
            case "kill-9-every-silo":
                var lastGeneration = await cluster.Database.ScalarAsync<int>(
                    "select max(generation) from orleans_cluster_member where deploymentid = @c", ("c", cluster.ClusterId));
                var killed = silos.ToList();
                await Task.WhenAll(killed.Select(s => s.KillAsync()));
                var allDead = WhenAsync(async () => await CountMembersAsync(cluster, "status = 6") == killed.Count, "the killed silos to be declared dead");
                await Task.Delay(SiloOutage);
                var restarted = DateTime.UtcNow;
                var next = cluster.StartSilo("silo-c");
                silos.Add(next);
                var nextActive = WhenAsync(async () => await CountMembersAsync(cluster, "status = 3 and generation > @g", lastGeneration) == 1, $"{next.Name} to be active");

                // No silo at all from the kill until silo-c starts; the backlog is timed from its start.
                fault = new Fault(from, async () =>
                {
                    var active = await nextActive;
                    return (killed.All(s => s.HasExited && s.ExitCode == 137),
                        string.Join(", ", killed.Select(s => $"{s.Name} exited with {s.ExitCode}")) + $"; {next.Name} active at {active:HH:mm:ss.f}");
                })
                {
                    Ended = Task.FromResult(restarted),
                    RecoveredFrom = restarted,
                    Timeline = [($"{next.Name} started", Task.FromResult(restarted)), ("killed silos declared dead", allDead), ($"{next.Name} active", nextActive)],
                };
                break;
            case "postgres-restart":
                var startedBefore = await cluster.Database.ScalarAsync<DateTime>("select pg_postmaster_start_time()");
                await postgres.StopAsync();
                await Task.Delay(TimeSpan.FromSeconds(5));
                await postgres.StartAgainAsync();
                fault = new Fault(from, async () =>
                {
                    var startedAfter = await cluster.Database.ScalarAsync<DateTime>("select pg_postmaster_start_time()");
                    return (startedAfter > startedBefore, $"PostgreSQL started at {startedBefore:O}, then at {startedAfter:O}");
                });
                break;
            case "rolling-restart":
                var replaced = silos.ToList();
                foreach (var old in replaced)
                {
                    silos.Add(cluster.StartSilo(old.Name + "-next"));
                    await WaitForActiveSilosAsync(cluster, 3);
                    Assert.True(await old.TerminateAsync(TimeSpan.FromSeconds(90)), $"{old.Name} did not stop on SIGTERM");
                    await WaitForActiveSilosAsync(cluster, 2);
                }

                fault = new Fault(from, () => Task.FromResult((replaced.All(s => s.HasExited && s.ExitCode == 0),
                    string.Join(", ", replaced.Select(s => $"{s.Name} exited with {s.ExitCode}")))));
                break;
            case "openai-outage":
                var refusedBefore = cluster.Upstreams.OpenAIRejectedCount;
                cluster.Upstreams.OpenAI.Down = true;
                await Task.Delay(Long ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(12));
                cluster.Upstreams.OpenAI.Down = false;
                var refusedDuring = cluster.Upstreams.OpenAIRejectedCount - refusedBefore;
                fault = new Fault(from, () => Task.FromResult((refusedDuring > 0, $"{refusedDuring} OpenAI requests refused during the outage")));
                break;
            case "twilio-429-storm":
                var storm = Long ? 400 : 100;
                var rejectedBefore = cluster.Upstreams.TwilioRejectedCount;
                cluster.Upstreams.Twilio.FailStatus = 429;
                cluster.Upstreams.Twilio.TwilioErrorCode = 20429;
                cluster.Upstreams.Twilio.RetryAfterSeconds = 1;
                cluster.Upstreams.Twilio.FailNext = storm;
                var spent = WhenAsync(() => Task.FromResult(cluster.Upstreams.Twilio.FailNext == 0), "the storm to be spent");
                fault = new Fault(from, () =>
                {
                    var rejected = cluster.Upstreams.TwilioRejectedCount - rejectedBefore;
                    return Task.FromResult((cluster.Upstreams.Twilio.FailNext == 0 && rejected >= storm, $"{rejected} Twilio requests answered 429"));
                })
                {
                    Ended = spent,
                };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null);
        }

        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss} fault applied: {scenario}");
        return fault;
    }

    /// <param name="from">When the fault was applied.</param>
    private sealed class Fault(DateTime from, Func<Task<(bool Happened, string Evidence)>> check)
    {
        public DateTime From => from;

        /// <summary>When the fault ended: by default once it was applied; some end later, by Orleans' or a stand-in's doing.</summary>
        public Task<DateTime> Ended { get; init; } = Task.FromResult(DateTime.UtcNow);

        /// <summary>When the fault was undone (a silo started again), for the time to clear the backlog.</summary>
        public DateTime? RecoveredFrom { get; init; }

        /// <summary>Moments after the fault worth reporting, each when it was first seen.</summary>
        public IReadOnlyList<(string What, Task<DateTime> When)> Timeline { get; init; } = [];

        public async Task<string> TimelineAsync()
        {
            var moments = new List<string>();
            foreach (var (what, when) in Timeline)
            {
                try
                {
                    moments.Add($"{what} +{(await when - from).TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
                }
                catch (TimeoutException)
                {
                    moments.Add($"{what}: not seen");
                }
            }

            return string.Join("; ", moments);
        }

        /// <summary>Fails the test unless the fault took effect; returns what shows it.</summary>
        public async Task<string> AssertHappenedAsync()
        {
            var (happened, evidence) = await check();
            Assert.True(happened, "the fault did not take effect: " + evidence);
            return evidence;
        }
    }

    /// <summary>When the condition was first seen true, polled from now on in the background.</summary>
    private static async Task<DateTime> WhenAsync(Func<Task<bool>> condition, string what)
    {
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return await condition();
            }
            catch (Npgsql.NpgsqlException)
            {
                return false;
            }
        }, TimeSpan.FromMinutes(5), what);
        return DateTime.UtcNow;
    }

    /// <summary>Silos in the membership table that match <paramref name="where"/> (3 is active, 6 dead; <c>@g</c> a generation).</summary>
    private static async Task<long> CountMembersAsync(ProcessCluster cluster, string where, int? generation = null) =>
        await cluster.Database.ScalarAsync<long>(
            $"select count(*) from orleans_cluster_member where deploymentid = @c and {where}",
            generation is { } g ? [("c", cluster.ClusterId), ("g", g)] : [("c", cluster.ClusterId)]);

    private static Task WaitForActiveSilosAsync(ProcessCluster cluster, int count) =>
        Eventually.TrueAsync(async () =>
        {
            try
            {
                return await cluster.Database.ScalarAsync<long>(
                    "select count(*) from orleans_cluster_member where deploymentid = @c and status = 3", ("c", cluster.ClusterId)) == count;
            }
            catch (Npgsql.NpgsqlException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(180), $"{count} active silos");
}
