using Npgsql;

namespace HorizonAI.Storage;

/// <summary>
/// The connections of the message writer, apart from the rest of the product's. Its statements are few and run for
/// every message, so Npgsql prepares them on each connection once used twice, and PostgreSQL parses and plans them once
/// per connection instead of once per message, with one generic plan each (none of them gains from a plan made for
/// particular values). Every one of them finds its rows by key through an index; sequential scans are ruled out so
/// that a plan made while a table was nearly empty (a fresh database, a new table) cannot go on scanning it whole once
/// it has grown.
/// </summary>
public static class MessageDataSource
{
    /// <summary>The DI key of the writer's <see cref="NpgsqlDataSource"/>.</summary>
    public const string Key = "horizonai.messages";

    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        if (settings.MaxAutoPrepare == 0)
        {
            settings.MaxAutoPrepare = 64;
            settings.AutoPrepareMinUsages = 2;
        }

        settings.Options = string.Join(' ', new[] { settings.Options, "-c enable_seqscan=off -c plan_cache_mode=force_generic_plan" }.Where(o => !string.IsNullOrWhiteSpace(o)));
        return builder.Build();
    }
}
