using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
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

    [Theory]
    [InlineData("kill-9-silo")]
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
        var backup = bots.Select(b => new { name = "Tenant " + b, twilio_phone_number = b, instructions = "Tenant " + b, fallback_message = "Fallback " + b }).ToArray();
        var import = await http.PostAsJsonAsync("/bots/import", backup);
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var users = Enumerable.Range(0, 500).Select(i => $"+5698{1000000 + i}").ToArray();

        var stream = new SteadyStream(new WebhookClient(http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') }, bots, users, scenario);
        using var stop = new CancellationTokenSource(Duration);
        var load = stream.RunAsync(Rate, stop.Token);
        await Task.Delay(Duration / 3);
        await ApplyFaultAsync(scenario, cluster, postgres, silos);
        await load;

        var report = await ReliabilityReport.DrainAndCountAsync(scenario, cluster, stream, TimeSpan.FromMinutes(5));
        output.WriteLine(report.ToString());
        await report.SaveAsync(Path.Combine(ProductProcess.RepositoryRoot, "artifacts", "reliability"));

        Assert.True(report.Accepted > Rate * Duration.TotalSeconds / 3, $"too few messages were accepted: {report}");
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.OutOfOrder);
        Assert.Equal(0, report.CrossTenant);
        if (scenario != "kill-9-silo")
        {
            Assert.Equal(0, report.Duplicates);
        }
        else
        {
            // Only a crash between Twilio accepting a part and the silo recording it can repeat a reply.
            Assert.True(report.Duplicates <= 2, report.ToString());
        }
    }

    private async Task ApplyFaultAsync(string scenario, ProcessCluster cluster, PrivatePostgres postgres, List<ProductProcess> silos)
    {
        switch (scenario)
        {
            case "kill-9-silo":
                await silos[0].KillAsync();
                silos.Add(cluster.StartSilo("silo-c"));
                break;
            case "postgres-restart":
                await postgres.StopAsync();
                await Task.Delay(TimeSpan.FromSeconds(5));
                await postgres.StartAgainAsync();
                break;
            case "rolling-restart":
                foreach (var old in silos.ToList())
                {
                    silos.Add(cluster.StartSilo(old.Name + "-next"));
                    await WaitForActiveSilosAsync(cluster, 3);
                    Assert.True(await old.TerminateAsync(TimeSpan.FromSeconds(90)), $"{old.Name} did not stop on SIGTERM");
                    await WaitForActiveSilosAsync(cluster, 2);
                }

                break;
            case "openai-outage":
                cluster.Upstreams.OpenAI.Down = true;
                await Task.Delay(Long ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(12));
                cluster.Upstreams.OpenAI.Down = false;
                break;
            case "twilio-429-storm":
                cluster.Upstreams.Twilio.FailStatus = 429;
                cluster.Upstreams.Twilio.TwilioErrorCode = 20429;
                cluster.Upstreams.Twilio.RetryAfterSeconds = 1;
                cluster.Upstreams.Twilio.FailNext = Long ? 400 : 100;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, null);
        }

        output.WriteLine($"{DateTime.UtcNow:HH:mm:ss} fault applied: {scenario}");
    }

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
