using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.EndToEnd;

/// <summary>
/// The README's run command, <c>scripts/run-local.sh</c>, as a newcomer runs it: no credentials, so the sandbox
/// answers; a PostgreSQL it manages under its data folder, and, where none can be installed, one line saying how.
/// </summary>
public sealed partial class LocalRunTests : IDisposable
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(150);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private readonly string _dataFolder = Directory.CreateTempSubdirectory("horizonai-local-").FullName;

    [Fact]
    public async Task WithoutPostgreSQLAndNoWayToInstallItItStopsWithTheCommandThatInstallsIt()
    {
        // A folder without PostgreSQL's programs stands for a machine that has none; PG_BIN_DIR also forbids installing.
        var noPostgres = Directory.CreateDirectory(Path.Combine(_dataFolder, "no-postgres")).FullName;
        var (exitCode, output) = await LocalRun.RunToExitAsync(_dataFolder, new() { ["PG_BIN_DIR"] = noPostgres });

        Assert.NotEqual(0, exitCode);
        var error = Assert.Single(output, line => line.StartsWith("ERROR:", StringComparison.Ordinal));
        Assert.Contains("apt-get install -y postgresql", error, StringComparison.Ordinal);
        Assert.DoesNotContain(output, line => line.Contains("HorizonAI.Orleans is running", StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(_dataFolder, "postgres")), "no database folder is made");
    }

    [Fact]
    public async Task WithPostgreSQLASecondRunKeepsTheFirstRunsBotsAndConversations()
    {
        const string bot = "+15557770002";
        const string user = "+56977770002";
        var ports = new Dictionary<string, string?> { ["LOCAL_PG_PORT"] = Port() };

        await using (var first = await LocalRun.StartAsync(_dataFolder, ports))
        {
                        Assert.Contains("Database:                       PostgreSQL under", first.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(_dataFolder, "postgres", "PG_VERSION")), "PostgreSQL is initialised under the data folder");
            Assert.Equal(HttpStatusCode.Created, (await first.Http.PostAsJsonAsync("/bots", new { name = "Kept", twilio_phone_number = bot, instructions = "Farmacia" })).StatusCode);
            await first.ChatAsync(bot, user, "primera vez");

            // The demo restaurant answers from its menu, the knowledge document the script gave it.
            const string restaurant = "+15550001001";
            await Eventually.TrueAsync(async () => (await first.Http.GetFromJsonAsync<JsonElement>($"/bots/{restaurant}/knowledge"))
                .GetProperty("items").EnumerateArray().Any(d => d.GetProperty("status").GetString() == "ready"), TimeSpan.FromSeconds(60), "the demo menu indexed");
            var menu = await first.ChatAsync(restaurant, "+56977770003", "¿Qué platos vegetarianos tienen?");
            Assert.Contains("lasaña de verduras", menu.GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.True(await first.StopWithCtrlCAsync(), "Ctrl+C stops everything within a minute:\n" + first.Tail);
        }

        await using var second = await LocalRun.StartAsync(_dataFolder, ports);
        var kept = await second.Http.GetFromJsonAsync<JsonElement>($"/bots/{bot}");
        Assert.Equal("Kept", kept.GetProperty("name").GetString());
        var transcript = await second.Http.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations/{user}");
        Assert.Equal(2, transcript.GetProperty("total").GetInt32());
        Assert.Equal("primera vez", transcript.GetProperty("items")[0].GetProperty("text").GetString());

        // The conversation goes on where it was.
        var reply = await second.ChatAsync(bot, user, "segunda vez", expectedMessages: 4);
        Assert.Contains("segunda vez", reply.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.True(await second.StopWithCtrlCAsync(), "Ctrl+C stops everything within a minute:\n" + second.Tail);
        Assert.False(File.Exists(Path.Combine(_dataFolder, "postgres", "postmaster.pid")), "the local PostgreSQL is stopped too");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A database file still being released; the temp folder is cleaned up by the system.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Port() => ProductProcess.FreePort().ToString(CultureInfo.InvariantCulture);

    /// <summary>One run of <c>scripts/run-local.sh --no-build</c> on free ports, with its output kept.</summary>
    private sealed partial class LocalRun : IAsyncDisposable
    {
        private readonly Process _script;
        private readonly ConcurrentQueue<string> _lines = new();

        private LocalRun(Process script, int gatewayPort)
        {
            _script = script;
            Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gatewayPort}"), Timeout = TimeSpan.FromSeconds(30) };
        }

        public HttpClient Http { get; }

        public string Output => string.Join('\n', _lines);

        public string Tail => string.Join('\n', _lines.TakeLast(30));

        public static async Task<LocalRun> StartAsync(string dataFolder, Dictionary<string, string?> settings)
        {
            var gatewayPort = ProductProcess.FreePort();
            var info = StartInfo(dataFolder, gatewayPort, settings);
            var script = new Process { StartInfo = info };
            var run = new LocalRun(script, gatewayPort);
            script.OutputDataReceived += (_, e) => { if (e.Data is not null) run._lines.Enqueue(e.Data); };
            script.ErrorDataReceived += (_, e) => { if (e.Data is not null) run._lines.Enqueue(e.Data); };
            script.Start();
            script.BeginOutputReadLine();
            script.BeginErrorReadLine();

            await Eventually.TrueAsync(() => script.HasExited
                ? throw new InvalidOperationException($"run-local.sh exited with {script.ExitCode}:\n{run.Tail}")
                : Task.FromResult(run._lines.Any(l => l.Contains("HorizonAI.Orleans is running", StringComparison.Ordinal))), Startup, "the banner of a running system");

            var key = AdminKeyLine().Match(run.Output);
            Assert.True(key.Success, "the banner shows the admin key:\n" + run.Tail);
            run.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key.Groups[1].Value);
            return run;
        }

        /// <summary>A run expected to stop by itself: its exit code and every line it printed.</summary>
        public static async Task<(int ExitCode, string[] Output)> RunToExitAsync(string dataFolder, Dictionary<string, string?> settings)
        {
            using var script = Process.Start(StartInfo(dataFolder, ProductProcess.FreePort(), settings))!;
            var output = script.StandardOutput.ReadToEndAsync();
            var errors = script.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Startup);
            await script.WaitForExitAsync(timeout.Token);
            return (script.ExitCode, ((await output) + (await errors)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        private static ProcessStartInfo StartInfo(string dataFolder, int gatewayPort, Dictionary<string, string?> settings)
        {
            // SIGINT as a terminal gives it, whatever this test run inherited: a shell cannot trap a signal that was
            // ignored when it started (as it is for jobs a non-interactive shell puts in the background).
            var info = new ProcessStartInfo("env")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = ProductProcess.RepositoryRoot,
            };
            info.ArgumentList.Add("--default-signal=INT");
            info.ArgumentList.Add("bash");
            info.ArgumentList.Add("scripts/run-local.sh");
            info.ArgumentList.Add("--no-build");

            // A newcomer's machine: no credentials, no database settings, nothing of the test run's environment.
            ProductProcess.RemoveProductSettings(info.Environment);

            info.Environment["LOCAL_DATA_DIR"] = dataFolder;
            info.Environment["GATEWAY_PORT"] = gatewayPort.ToString(CultureInfo.InvariantCulture);
            info.Environment["SILO_HTTP_PORT"] = Port();
            info.Environment["SANDBOX_PORT"] = Port();
            info.Environment["ORLEANS_SILO_PORT"] = Port();
            info.Environment["ORLEANS_GATEWAY_PORT"] = Port();
            info.Environment["LOCAL_PG_PORT"] = Port();
            foreach (var (name, value) in settings)
            {
                info.Environment[name] = value;
            }

            return info;
        }

        /// <summary>Chats through the console's simulator and returns the reply once it is delivered.</summary>
        public async Task<JsonElement> ChatAsync(string bot, string user, string text, int expectedMessages = 2)
        {
            var simulated = await Http.PostAsJsonAsync("/console/api/simulate", new { bot, user, text });
            Assert.Equal(HttpStatusCode.OK, simulated.StatusCode);
            var transcript = await Eventually.WaitAsync(
                () => Http.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations/{user}"),
                t => t.GetProperty("total").GetInt32() >= expectedMessages
                     && t.GetProperty("items")[expectedMessages - 1].GetProperty("status").GetString() == "delivered",
                Patience, "the reply, delivered, in the transcript");
            var reply = transcript.GetProperty("items")[expectedMessages - 1];
            Assert.Equal("outbound", reply.GetProperty("direction").GetString());
            return reply;
        }

        /// <summary>SIGINT to the script, as Ctrl+C sends it; returns whether everything stopped in time.</summary>
        public async Task<bool> StopWithCtrlCAsync()
        {
            using (var kill = Process.Start("kill", ["-INT", _script.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _script.WaitForExitAsync(timeout.Token);
                return true;
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        public async Task<bool> AnswersAsync()
        {
            try
            {
                await Http.GetAsync("/health/live");
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_script.HasExited)
            {
                // The script's own trap stops its children and its PostgreSQL.
                await StopWithCtrlCAsync();
                if (!_script.HasExited)
                {
                    _script.Kill(entireProcessTree: true);
                }
            }

            _script.Dispose();
            Http.Dispose();
        }

        [GeneratedRegex("Admin API key:\\s+(\\S+)")]
        private static partial Regex AdminKeyLine();
    }
}
