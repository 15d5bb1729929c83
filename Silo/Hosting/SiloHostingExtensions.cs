using HorizonAI.Grains.Hosting;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Hosting;
using HorizonAI.ServiceDefaults.Outbound;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace HorizonAI.Silo.Hosting;

public static class SiloHostingExtensions
{
    private const string Invariant = "Npgsql";
    private const int DashboardSampleMilliseconds = 5_000;

    /// <summary>
    /// The silo on PostgreSQL: ADO.NET clustering and reminders on <c>DATABASE_URL</c>, with the ports and cluster
    /// identity of SPEC §2. No grain keeps Orleans grain state (the product's tables are its state), so no grain
    /// storage provider is registered.
    /// </summary>
    public static WebApplicationBuilder AddHorizonSilo(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var cluster = ClusterSettings.From(configuration);
        var database = DatabaseOptions.From(configuration);

        builder.Services.AddSettings(ClusterSettings.From, new ClusterSettingsValidator());
        builder.Services.AddOutboundUrlGuard();
        builder.Services.AddHorizonGrainServices();
        builder.Services.AddDefaultHealthChecks()
            .AddCheck<SiloHealthCheck>("silo", tags: [HealthEndpointExtensions.ReadyTag]);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(45));

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = cluster.ClusterId;
                options.ServiceId = cluster.ServiceId;
            });
            silo.ConfigureEndpoints(siloPort: ValidPort(cluster.SiloPort), gatewayPort: ValidPort(cluster.GatewayPort), listenOnAnyHostAddress: true);
            silo.AddHorizonPersistence(database.ConnectionString);

            // A grain call continues its caller's trace (the forward of a webhook's message, an admin request).
            silo.AddActivityPropagation();

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

    /// <summary>Clustering and reminders on PostgreSQL through the ADO.NET providers.</summary>
    public static ISiloBuilder AddHorizonPersistence(this ISiloBuilder silo, string connectionString)
    {
        silo.UseAdoNetClustering(options =>
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
