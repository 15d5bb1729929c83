using Npgsql;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary>
/// Turns <c>DATABASE_URL</c> (an Npgsql connection string or a <c>postgres://</c> URL, as hosting providers hand out)
/// into an Npgsql connection string.
/// </summary>
public static class DatabaseConnectionString
{
    public const string LocalDefault = "Host=127.0.0.1;Port=5432;Database=horizonai;Username=postgres";

    public static bool TryParse(string? value, out string connectionString, out string? error)
    {
        connectionString = "";
        error = null;
        var raw = string.IsNullOrWhiteSpace(value) ? LocalDefault : value.Trim();
        try
        {
            NpgsqlConnectionStringBuilder builder;
            if (raw.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
                || raw.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            {
                builder = FromUrl(new Uri(raw));
            }
            else
            {
                builder = new NpgsqlConnectionStringBuilder(raw);
            }

            if (string.IsNullOrEmpty(builder.Host))
            {
                error = "has no host";
                return false;
            }

            // Nothing here relies on session state, so a pooled connection need not be reset (DISCARD ALL) every time it
            // is reused: that was one extra round trip per query. An operator's explicit setting wins.
            if (!raw.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase) && !raw.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase))
            {
                builder.NoResetOnClose = true;
            }

            connectionString = builder.ConnectionString;
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or UriFormatException or FormatException or KeyNotFoundException)
        {
            error = "is neither an Npgsql connection string nor a postgres:// URL";
            return false;
        }
    }

    private static NpgsqlConnectionStringBuilder FromUrl(Uri uri)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        var query = uri.Query.TrimStart('?');
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var val = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase))
            {
                builder.SslMode = Enum.Parse<SslMode>(val, ignoreCase: true);
            }
            else
            {
                builder[key] = val;
            }
        }

        return builder;
    }
}
