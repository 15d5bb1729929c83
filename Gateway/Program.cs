using HorizonAI.Gateway.Bots;
using HorizonAI.Gateway.Hosting;
using HorizonAI.Gateway.Webhooks;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Hosting;

EnvironmentFile.LoadFromWorkingDirectory();

return await StartupGuard.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(args);
    builder.WebHost.UseDefaultPort(8080);
    builder.AddHorizonLogging();
    builder.AddHorizonGateway();

    var app = builder.Build();
    app.UseStatusCodePages();
    app.MapHealthEndpoints();
    app.MapTwilioWebhooks();
    app.MapAdminApi();

    await app.RunAsync();
});
