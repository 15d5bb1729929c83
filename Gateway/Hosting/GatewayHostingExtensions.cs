using HorizonAI.Gateway.Access.Authentication;
using HorizonAI.Gateway.Access.Authorization;
using HorizonAI.Gateway.Console;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Gateway.Usage;
using HorizonAI.Gateway.Webhooks;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Hosting;
using HorizonAI.ServiceDefaults.Outbound;
using HorizonAI.Storage.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace HorizonAI.Gateway.Hosting;

public static partial class GatewayHostingExtensions
{
    /// <summary>
    /// The Gateway is an Orleans client over the same database as the silos. It starts without any silo, keeps
    /// retrying until one appears, and serves health meanwhile.
    /// </summary>
    public static WebApplicationBuilder AddHorizonGateway(this WebApplicationBuilder builder)
    {
        var localMode = builder.Environment.IsDevelopment();
        // Webhooks are stored by the Gateway itself, through the same writer as the silos': acceptance needs PostgreSQL only.
        builder.Services.AddHorizonMessageWriter();
        builder.Services.AddSingleton<BotRoster>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BotRoster>());
        builder.Services.AddSingleton<InboundForwarder>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InboundForwarder>());

        builder.Services.AddSettings(ClusterSettings.From, new ClusterSettingsValidator());
        builder.Services.AddSettings(TwilioOptions.From, new TwilioOptionsValidator());
        builder.Services.AddSettings(c => GatewayOptions.From(c, localMode), new GatewayOptionsValidator());
        builder.Services.AddSettings(PriceOptions.From, new PriceOptionsValidator());
        builder.Services.AddSettings(KnowledgeOptions.From, new KnowledgeOptionsValidator());
        builder.Services.AddHorizonKnowledgeStore();
        // Tool, MCP and handoff-webhook URLs are checked against it when a bot is saved.
        builder.Services.AddOutboundUrlGuard();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TwilioSignatureValidator>();
        builder.Services.AddSingleton<AdminKey>();
        builder.Services.AddProblemDetails();
        builder.Services.AddValidation();
        builder.Services.AddSingleton<Infrastructure.RequestValidator>();
        builder.Services.AddExceptionHandler<UnavailableExceptionHandler>();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        // A value the framework cannot bind is thrown to BadRequestExceptionHandler, which says what is wrong with it.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddHttpClient(SimulatorEndpoints.SelfClient, http => http.Timeout = TimeSpan.FromSeconds(30));
        builder.Services.AddHttpClient(SimulatorEndpoints.SandboxClient, http => http.Timeout = TimeSpan.FromSeconds(30));
        builder.Services.AddHorizonOpenApi();
        builder.Services.AddSettings(AdminProtectionOptions.From, new AdminProtectionOptionsValidator());
        builder.Services.AddAdminProtection();
        builder.Services.AddAdminAccess();
        builder.Services.AddSettings(WebhookAdmissionOptions.From, new WebhookAdmissionOptionsValidator());
        builder.Services.AddSingleton<WebhookAdmission>();
        builder.Services.AddSettings(WebhookStoreOptions.From, new WebhookStoreOptionsValidator());
        builder.Services.AddSingleton<WebhookStore>();
        // Ready = the database answers and has this release's schema; the cluster's state is reported, never a reason to leave.
        builder.Services.AddDefaultHealthChecks()
            .AddCheck<SchemaHealthCheck>("schema", tags: [HealthEndpointExtensions.ReadyTag])
            .AddCheck<ClusterHealthCheck>("cluster", tags: [HealthEndpointExtensions.ReadyTag]);

        // Kestrel must answer health probes while the client is still looking for a silo.
        builder.Services.Configure<HostOptions>(options => options.ServicesStartConcurrently = true);

        builder.UseOrleansClient(client =>
        {
            client.Services.AddHorizonExceptionSerialization();
            // Read from IConfiguration when the options are first used, not while the builder runs, so that every
            // configuration source (including a test host's) is already in place.
            client.Services.AddOptions<ClusterOptions>().Configure<IConfiguration>((options, configuration) =>
            {
                var cluster = ClusterSettings.From(configuration);
                options.ClusterId = cluster.ClusterId;
                options.ServiceId = cluster.ServiceId;
            });
            client.UseAdoNetClustering((OptionsBuilder<AdoNetClusteringClientOptions> clustering) => clustering.Configure<IConfiguration>((options, configuration) =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = DatabaseOptions.From(configuration).ConnectionString;
            }));

            client.Configure<Orleans.Configuration.GatewayOptions>(options => options.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            client.UseConnectionRetryFilter(RetryConnectingAsync);
            client.AddActivityPropagation(); // grain calls continue the request's trace
            client.AddDashboard();
        });
        return builder;
    }

    private static async Task<bool> RetryConnectingAsync(Exception exception, CancellationToken cancellationToken)
    {
        System.Console.WriteLine($"Waiting for a silo to join the cluster ({exception.GetType().Name}); retrying in 2 s");
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        return !cancellationToken.IsCancellationRequested;
    }
}
