using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HorizonAI.ServiceDefaults.Hosting;

/// <summary>In memory mode there is no database to reach; readiness names the mode, so that nobody mistakes it for production.</summary>
public sealed class InMemoryStorageHealthCheck : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy(StorageSettings.InMemoryWarning));
}
