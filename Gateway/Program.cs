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
    builder.AddHorizonTelemetry();

    var app = builder.Build();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseRateLimiter();
    app.UseConsoleFiles();
    app.MapHealthEndpoints();
    app.MapMetrics();
    app.MapHorizonOpenApi();
    app.MapProtectedDashboard();
    app.MapTwilioWebhooks();
    app.MapAdminApi();

    await app.RunAsync();
});
