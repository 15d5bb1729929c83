using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Silo.Database;
using Microsoft.Extensions.Logging.Abstractions;

namespace HorizonAI.Integration.Tests.Database;

/// <summary>
/// Upgrading a database of the release that kept open work in conversation grain state: <c>Silo migrate</c> moves that
/// work into the messages and conversations tables, and this release finishes it, each message answered once and no
/// reply part sent twice.
/// </summary>
public sealed class MessageStoreMigrationTests
{
    private const string ResponsesBot = "+15550009001";
    private const string ChatBot = "+15550009002";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task OpenWorkInThePreviousReleasesGrainStateIsFinishedAfterSiloMigrate()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        await new SchemaMigrator(database.ConnectionString, NullLogger<SchemaMigrator>.Instance, [.. SchemaMigrator.Migrations.Where(m => m.Version <= 3)]).ApplyAsync();
        await database.ExecuteAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Database", "Fixtures", "v3-open-work.sql")));

        // The fixture's "#slow" markers held the old turns open; without them the stand-in answers at once. And one
        // waiting message has no inbound row: the previous release wrote those after the acknowledgement.
        await database.ExecuteAsync("""
            update messages set body = replace(body, '#slow:120000 ', '');
            update orleans_grain_state set payloadbinary = convert_to(replace(convert_from(payloadbinary, 'UTF8'), '#slow:120000 ', ''), 'UTF8');
            delete from messages where body = '<u1-c>';
            """);

        await using (var migrate = ProductProcess.Start("Silo", "migrate", new Dictionary<string, string?> { ["DATABASE_URL"] = database.ConnectionString }, "migrate"))
        {
            Assert.True(await migrate.WaitForExitAsync(TimeSpan.FromSeconds(60)), "Silo migrate exits on its own:\n" + migrate.Output);
            Assert.True(migrate.ExitCode == 0, $"Silo migrate exited with {migrate.ExitCode}:\n{migrate.Output}");
        }

        // The open work is in the tables now, and nothing of the old state is left to be read.
        Assert.Equal(
            ["#long:4000 <u2-a>:answering", "<u1-b>:received", "<u1-c>:received", "<u3-a>:received", "<u4-b>:received", "hola <u1-a>:answered", "hola <u4-a>:answered"],
            await RowsAsync(database, "select body || ':' || status from messages where direction = 'inbound'"));
        Assert.Equal(["Sentence 51", "Sentence 96"],
            await RowsAsync(database, "select left(body, 11) from messages where direction = 'outbound' and status = 'pending'"));
        Assert.Equal(4, (int)await database.ScalarAsync<long>("select count(*) from conversations where assistant_conversation_id like 'conv_%' or jsonb_array_length(history) = 2"));
        Assert.Equal("hola <u4-a>", await database.ScalarAsync<string>("select history -> 0 ->> 'text' from conversations where bot_id in (select id from bot_identities where phone_number = @bot)", ("bot", ChatBot)));
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from orleans_grain_state where graintypestring = 'conversation'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from orleans_reminder where remindername = 'pending-work'"));

        // This release finishes it: the recovery sweep wakes each conversation.
        await using var system = await TestSystem.StartAsync(database: database);
        await Eventually.TrueAsync(async () => await database.ScalarAsync<long>(
            "select count(*) from messages where status in ('received', 'answering', 'pending')") == 0, Patience, "the migrated work settled");
        var upstreams = system.Upstreams;

        var first = upstreams.RepliesTo("+56911110001");
        Assert.Single(first, r => r.Body.Contains("<u1-b>", StringComparison.Ordinal));
        Assert.Single(first, r => r.Body.Contains("<u1-c>", StringComparison.Ordinal));
        Assert.DoesNotContain(first, r => r.Body.Contains("<u1-a>", StringComparison.Ordinal));
        Assert.Single(upstreams.RepliesTo("+56911110003"), r => r.Body.Contains("<u3-a>", StringComparison.Ordinal));
        Assert.Single(upstreams.RepliesTo("+56911110004"), r => r.Body.Contains("<u4-b>", StringComparison.Ordinal));

        // The cut-off reply goes on from its second part, with no new turn.
        Assert.Equal(["Sentence 51", "Sentence 96"], upstreams.RepliesTo("+56911110002").Select(r => r.Body[..11]));
        Assert.DoesNotContain(upstreams.OpenAIRequests, r => r.InputText.Contains("<u2-a>", StringComparison.Ordinal));
        Assert.Equal(["answered", "answered", "answered", "answered", "answered", "answered", "answered"],
            await RowsAsync(database, "select status from messages where direction = 'inbound'"));
    }

    private static async Task<List<string>> RowsAsync(TestDatabase database, string sql) =>
        [.. (await database.QueryAsync(sql)).Select(r => (string)r.Values.Single()!).Order(StringComparer.Ordinal)];
}
