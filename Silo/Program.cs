using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Hosting;
using HorizonAI.Silo.Database;
using HorizonAI.Silo.Hosting;
using HorizonAI.ServiceDefaults.Telemetry;

EnvironmentFile.LoadFromWorkingDirectory();

return await StartupGuard.RunAsync(async () =>
{
    var migrateOnly = args.Length > 0 && args[0] == "migrate";
    var builder = WebApplication.CreateBuilder(migrateOnly ? args[1..] : args);
    builder.WebHost.UseDefaultPort(8081);
    builder.AddHorizonLogging();

    if (migrateOnly)
    {
        await DatabaseMigration.RunAsync(builder.Configuration);
        return;
    }

    builder.AddHorizonSilo();
    builder.AddHorizonTelemetry("horizonai-silo");
    var app = builder.Build();

    // Orleans reads its SQL from the database at start, so the schema must be in place first.
    await DatabaseMigration.RunAsync(app.Configuration, app.Services.GetRequiredService<ILoggerFactory>());

    app.MapHealthEndpoints();
    app.MapMetrics();
    await app.RunAsync();
});
