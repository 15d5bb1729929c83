using HorizonAI.Gateway.Bots;
using HorizonAI.Gateway.Console;
using HorizonAI.Gateway.Hosting;
using HorizonAI.Gateway.Webhooks;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Hosting;
using HorizonAI.ServiceDefaults.Telemetry;

EnvironmentFile.LoadFromWorkingDirectory();

return await StartupGuard.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    builder.WebHost.UseDefaultPort(8080);
    builder.AddHorizonLogging();
    builder.AddHorizonGateway();
    builder.AddHorizonTelemetry("horizonai-gateway");

    var app = builder.Build();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseRateLimiter();
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseConsoleFiles();
    app.MapHealthEndpoints();
    // Metrics name every bot: scraped from inside (a pod, the loopback), never through the public proxy.
    app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/metrics")
            && (context.Request.Headers.ContainsKey("X-Forwarded-For") || context.Request.Headers.ContainsKey("Forwarded")))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await next(context);
    });
    app.MapMetrics();
    app.MapHorizonOpenApi();
    app.MapProtectedDashboard();
    app.MapTwilioWebhooks();
    app.MapAdminApi();

    await app.RunAsync();
});
