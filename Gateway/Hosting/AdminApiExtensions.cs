using HorizonAI.Gateway.Access.Authentication;
using HorizonAI.Gateway.Access;
using HorizonAI.Gateway.Bots;
using HorizonAI.Gateway.Console;
using HorizonAI.Gateway.Conversations;
using HorizonAI.Gateway.Knowledge;
using HorizonAI.Gateway.Outbound;

namespace HorizonAI.Gateway.Hosting;

public static partial class AdminApiExtensions
{
    /// <summary>Maps the admin API when a key exists; outside local mode without ADMIN_API_KEY it is not served at all.</summary>
    public static IEndpointRouteBuilder MapAdminApi(this WebApplication app)
    {
        var key = app.Services.GetRequiredService<AdminKey>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HorizonAI.Gateway.Admin");
        if (!key.Enabled)
        {
            LogAdminDisabled(logger);
            return app;
        }

        if (key.Generated)
        {
            LogGeneratedKey(logger, key.Value!);
        }

        app.MapBotEndpoints();
        app.MapConversationEndpoints();
        app.MapKnowledgeEndpoints();
        app.MapAccessEndpoints();
        app.MapOutboundEndpoints();
        app.MapConsoleSession();
        app.MapConsole();
        return app;
    }

    [LoggerMessage(EventId = 3100, Level = LogLevel.Warning, Message = "ADMIN_API_KEY is not set: the admin API, console and dashboard are not served. Set ADMIN_API_KEY to enable them.")]
    private static partial void LogAdminDisabled(ILogger logger);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Local mode: no ADMIN_API_KEY was set, so this run uses the admin key {AdminKey}")]
    private static partial void LogGeneratedKey(ILogger logger, string adminKey);
}
