using System.Collections.Concurrent;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HorizonAI.Gateway.Webhooks;

/// <summary>
/// Which numbers have a bot, its id and whether it is enabled, as the <c>bots</c> table says, so that a webhook is answered
/// without asking a silo. Kept current by PostgreSQL notifications (a trigger announces every change to a bot) on a
/// connection of its own, reloaded whole after every (re)connection and every <see cref="RefreshPeriod"/> in case one
/// was missed. A number it does not know is looked up in the table before anyone is told there is no such bot, so a
/// bot created through another Gateway a moment ago is never refused. Staleness: a change reaches it within moments
/// through its notification; with the listening connection down, within <see cref="RefreshPeriod"/>.
/// </summary>
public sealed partial class BotRoster(NpgsqlDataSource dataSource, IOptions<DatabaseOptions> database, ILogger<BotRoster> logger) : BackgroundService
{
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);

    private ConcurrentDictionary<string, RosterEntry> _bots = new(StringComparer.Ordinal);

    /// <summary>The bot that has <paramref name="number"/> now; null when none has.</summary>
    public async ValueTask<RosterEntry?> FindAsync(string number, CancellationToken cancellationToken)
    {
        if (_bots.TryGetValue(number, out var entry))
        {
            return entry;
        }

        var found = await ReadAsync(number, cancellationToken);
        if (found is not null)
        {
            _bots[number] = found;
        }

        return found;
    }

    /// <summary>
    /// Forgets what it knows of <paramref name="number"/>, so that the next webhook reads the table: this Gateway changed
    /// the bot and need not wait for the notification (the other Gateways hear it).
    /// </summary>
    public void Forget(string number) => _bots.TryRemove(number, out _);

    /// <summary>The number of the live bot <paramref name="botId"/>; null when no live bot has the id.</summary>
    public async ValueTask<string?> NumberOfAsync(string botId, CancellationToken cancellationToken)
    {
        if (_bots.Values.FirstOrDefault(b => b.Id == botId) is { } known)
        {
            return known.Number;
        }

        await using var command = dataSource.CreateCommand("select phone_number from bots where id = @id");
        command.Parameters.AddWithValue("id", botId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var refresh = new PeriodicTimer(RefreshPeriod);
        var refreshing = RefreshLoopAsync(refresh, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogListenFailed(logger, ex.GetType().Name, ReconnectDelay.TotalSeconds);
                await Task.Delay(ReconnectDelay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        await refreshing;
    }

    /// <summary>One listening connection: subscribe, reload everything (what changed before was not heard), then wait.</summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        // A connection of its own, outside any pool: notifications arrive only while it stays open.
        var settings = new NpgsqlConnectionStringBuilder(database.Value.ConnectionString) { Pooling = false, KeepAlive = 10 };
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(stoppingToken);
        connection.Notification += (_, e) => _ = RereadAsync(e.Payload);
        await using (var listen = new NpgsqlCommand($"listen {SchemaVersion.BotsChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        await ReloadAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            await connection.WaitAsync(stoppingToken);
        }
    }

    private async Task RefreshLoopAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await ReloadAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogRefreshFailed(logger, ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var all = new ConcurrentDictionary<string, RosterEntry>(StringComparer.Ordinal);
        await using var command = dataSource.CreateCommand("select phone_number, id, enabled from bots");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            all[reader.GetString(0)] = new RosterEntry(reader.GetString(0), reader.GetString(1), reader.GetBoolean(2));
        }

        _bots = all;
    }

    /// <summary>A bot changed: its row is read again (the payload is only its number).</summary>
    private async Task RereadAsync(string number)
    {
        try
        {
            if (await ReadAsync(number, CancellationToken.None) is { } entry)
            {
                _bots[number] = entry;
            }
            else
            {
                _bots.TryRemove(number, out _);
            }
        }
        catch (Exception ex)
        {
            // Forget it instead: the next webhook for it looks it up.
            _bots.TryRemove(number, out _);
            LogRefreshFailed(logger, ex.GetType().Name);
        }
    }

    private async Task<RosterEntry?> ReadAsync(string number, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select id, enabled from bots where phone_number = @number");
        command.Parameters.AddWithValue("number", number);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new RosterEntry(number, reader.GetString(0), reader.GetBoolean(1)) : null;
    }

    [LoggerMessage(EventId = 3020, Level = LogLevel.Warning, Message = "Bot roster: listening for bot changes failed ({Error}); reconnecting in {Seconds} s")]
    private static partial void LogListenFailed(ILogger logger, string error, double seconds);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Warning, Message = "Bot roster: reading the bots table failed ({Error}); the next refresh tries again")]
    private static partial void LogRefreshFailed(ILogger logger, string error);
}
