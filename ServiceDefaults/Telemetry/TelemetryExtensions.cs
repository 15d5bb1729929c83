using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;

namespace HorizonAI.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>Prometheus metrics: the product's per-bot series plus ASP.NET Core, HttpClient, runtime and Orleans.</summary>
    public static WebApplicationBuilder AddHorizonTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<HorizonMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(HorizonMetrics.MeterName, "Microsoft.Orleans")
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return builder;
    }

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return endpoints;
    }
}
