using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace HorizonAI.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>The standard variable that turns tracing on: where the OTLP collector listens.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Orleans' spans of application grain calls (its runtime's own calls are left out).</summary>
    public const string OrleansSource = "Microsoft.Orleans.Application";

    /// <summary>
    /// Prometheus metrics: the product's per-bot series plus ASP.NET Core, HttpClient, runtime and Orleans. Traces only
    /// when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>) is set, exported over OTLP;
    /// the SDK reads the other standard variables itself (<c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>,
    /// <c>OTEL_TRACES_SAMPLER[_ARG]</c>, default parent-based always-on, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>). Unset, no
    /// tracer provider exists, so no span is even sampled.
    /// </summary>
    public static WebApplicationBuilder AddHorizonTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        builder.Services.TryAddSingleton<HorizonMetrics>();
        var telemetry = builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(HorizonMetrics.MeterName, "Microsoft.Orleans")
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        if (TracingEnabled(builder.Configuration))
        {
            // OTEL_SERVICE_NAME, or service.name in OTEL_RESOURCE_ATTRIBUTES, names the service when set; else this.
            var named = !string.IsNullOrEmpty(builder.Configuration["OTEL_SERVICE_NAME"])
                || (builder.Configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? "").Contains("service.name=", StringComparison.Ordinal);
            telemetry
                .ConfigureResource(resource =>
                {
                    if (!named)
                    {
                        resource.AddService(serviceName);
                    }
                })
                .WithTracing(tracing => tracing.AddHorizonTracing().AddOtlpExporter());
        }

        return builder;
    }

    /// <summary>Whether the standard OTLP endpoint variable is set.</summary>
    public static bool TracingEnabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]) || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);

    /// <summary>
    /// What the product traces: incoming requests (probes and scrapes left out), outgoing HTTP (OpenAI, Twilio, media,
    /// handoff notices), PostgreSQL commands, Orleans grain calls and the product's own spans. Tests add an in-memory
    /// exporter to the same list.
    /// </summary>
    public static TracerProviderBuilder AddHorizonTracing(this TracerProviderBuilder tracing) => tracing
        .AddSource(HorizonTracing.SourceName, OrleansSource)
        .AddProcessor(new UnparentedDatabaseSpanFilter())
        .AddAspNetCoreInstrumentation(options => options.Filter = context =>
            !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/metrics"))
        .AddHttpClientInstrumentation()
        .AddNpgsql();

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        return endpoints;
    }
}
