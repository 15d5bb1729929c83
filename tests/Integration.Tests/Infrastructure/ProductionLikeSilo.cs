using HorizonAI.Grains.Hosting;
using HorizonAI.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.TestingHost;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>Configures each test silo with the product's own registrations, from the test's settings.</summary>
public sealed class ProductionLikeSilo : ISiloConfigurator
{
    public void Configure(ISiloBuilder silo)
    {
        silo.Services.AddHorizonGrainServices();
        silo.AddHorizonPersistence(silo.Configuration["DATABASE_URL"]!);
        silo.AddAdoNetGrainStorage(Database.ProbeStorage.Name, options =>
        {
            options.Invariant = "Npgsql";
            options.ConnectionString = silo.Configuration["DATABASE_URL"];
        });
        silo.AddDashboard();
        silo.AddActivityPropagation();
        // Lets tests see a reminder fire within a second; production lowers the one-minute floor only to its sweep period.
        silo.Configure<ReminderOptions>(options => options.MinimumReminderPeriod = TimeSpan.FromSeconds(1));
    }
}

/// <summary>The test's own cluster client finds the silos through PostgreSQL, like the Gateway.</summary>
public sealed class ProductionLikeClient : IClientBuilderConfigurator
{
    public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder client) =>
        client.UseAdoNetClustering(options =>
        {
            options.Invariant = "Npgsql";
            options.ConnectionString = configuration["DATABASE_URL"];
        }).AddActivityPropagation();
}
