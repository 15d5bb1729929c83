using Microsoft.AspNetCore.Builder;
using HorizonAI.ServiceDefaults.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace HorizonAI.ServiceDefaults.Hosting;

public static class LoggingExtensions
{
    /// <summary>
    /// One readable line per event, or JSON with scopes when <c>LOG_FORMAT=json</c> (so <c>journalctl … | grep +15551111</c> finds whole events).
    /// Every line written inside a span carries its trace id (a <c>TraceId</c> scope field in JSON, <c>trace=…</c> from the scope in
    /// readable lines), so that <c>grep &lt;trace id&gt;</c> finds one message's lines across the Gateway and the silos. The host's own
    /// start-failure report is silenced because <see cref="StartupGuard"/> prints configuration errors as one line and
    /// any other failure still surfaces as the process's unhandled exception.
    /// </summary>
    public static WebApplicationBuilder AddHorizonLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (string.Equals(builder.Configuration["LOG_FORMAT"], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                options.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddConsole(options => options.FormatterName = ReadableConsoleFormatter.Name)
                .AddConsoleFormatter<ReadableConsoleFormatter, ConsoleFormatterOptions>();
        }

        // Framework chatter at Information would log request paths (which can hold end users' numbers) and drown
        // the per-client lines operators grep for; appsettings or Logging__LogLevel__… variables can still lower these.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Polly", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        return builder;
    }
}
