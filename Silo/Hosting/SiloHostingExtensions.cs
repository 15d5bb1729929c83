using HorizonAI.Grains;
using HorizonAI.Grains.Hosting;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Hosting;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace HorizonAI.Silo.Hosting;

public static class SiloHostingExtensions
{
    private const string Invariant = "Npgsql";
    private const int DashboardSampleMilliseconds = 5_000;

    /// <summary>
    /// The silo on PostgreSQL: ADO.NET clustering, grain storage and reminders, all on <c>DATABASE_URL</c>, with the
    /// ports and cluster identity of SPEC §2. With <c>STORAGE_MODE=memory</c>, a lone silo that keeps everything in
    /// its memory instead (a local try-out where PostgreSQL is not installed).
    /// </summary>
    public static WebApplicationBuilder AddHorizonSilo(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var cluster = ClusterSettings.From(configuration);
        var database = DatabaseOptions.From(configuration);
        var storage = StorageSettings.From(configuration);

        builder.Services.AddSettings(ClusterSettings.From, new ClusterSettingsValidator());
        builder.Services.AddSingleton(storage);
        builder.Services.AddHorizonGrainServices(storage);
        builder.Services.AddDefaultHealthChecks(storage)
            .AddCheck<SiloHealthCheck>("silo", tags: [HealthEndpointExtensions.ReadyTag]);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(45));

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = cluster.ClusterId;
                options.ServiceId = cluster.ServiceId;
            });
            if (storage.InMemory)
            {
                silo.UseLocalhostClustering(siloPort: ValidPort(cluster.SiloPort), gatewayPort: ValidPort(cluster.GatewayPort), serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
                silo.AddMemoryGrainStorage(GrainStorage.Name);
                silo.UseInMemoryReminderService();
            }
            else
            {
                silo.ConfigureEndpoints(siloPort: ValidPort(cluster.SiloPort), gatewayPort: ValidPort(cluster.GatewayPort), listenOnAnyHostAddress: true);
                silo.AddHorizonPersistence(database.ConnectionString);
            }

            // The dashboard's data comes from the silos; the Gateway serves its pages behind the admin key. Its counters
            // are sampled every 5 s rather than every second: each sample walks Orleans' observable gauges (the
            // activations, the directory cache), which costs a few per cent of a busy silo's CPU at one a second.
            silo.AddDashboard(options => options.CounterUpdateIntervalMs = DashboardSampleMilliseconds);

            // Inside Kubernetes the pod's labels and downward-API variables name the silo and its cluster, and Orleans
            // removes the pods of dead silos; outside it this call would throw, so it is made only there.
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")))
            {
                silo.UseKubernetesHosting();
            }
        });
        return builder;
    }

    /// <summary>Clustering, grain state and reminders on PostgreSQL through the ADO.NET providers.</summary>
    public static ISiloBuilder AddHorizonPersistence(this ISiloBuilder silo, string connectionString)
    {
        silo.UseAdoNetClustering(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        silo.AddAdoNetGrainStorage(GrainStorage.Name, options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = Invariant;
            options.ConnectionString = connectionString;
        });
        return silo;
    }

    // A malformed port is reported by the validator at start; Orleans only needs a placeholder until then.
    private static int ValidPort(int port) => port is >= 1 and <= 65535 ? port : 1;
}
