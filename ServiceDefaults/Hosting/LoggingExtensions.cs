using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace HorizonAI.ServiceDefaults.Hosting;

public static class LoggingExtensions
{
    /// <summary>
    /// One readable line per event (so <c>journalctl … | grep +15551111</c> finds whole events). The host's own
    /// start-failure report is silenced because <see cref="StartupGuard"/> prints configuration errors as one line and
    /// any other failure still surfaces as the process's unhandled exception.
    /// </summary>
    public static WebApplicationBuilder AddHorizonLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            options.UseUtcTimestamp = true;
        });
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        return builder;
    }
}
