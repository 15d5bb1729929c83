using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HorizonAI.Gateway.Hosting;

/// <summary>
/// Reports how many silos answer through this client. Never a reason to leave the load balancer: the Gateway accepts
/// webhooks with no silo up (they wait in the table), so a cluster that does not answer is only "degraded", which
/// readiness reports in its body (and <c>horizonai_gateway_cluster_silos</c> in the metrics) with a 200.
/// </summary>
public sealed class ClusterHealthCheck(IClusterClient client, HorizonMetrics metrics) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            metrics.GatewayClusterSilos(hosts.Count);
            return hosts.Count > 0
                ? HealthCheckResult.Healthy($"{hosts.Count} active silo(s)")
                : HealthCheckResult.Degraded("no active silo; webhooks are stored and answered once a silo is up");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            metrics.GatewayClusterSilos(-1);
            return HealthCheckResult.Degraded("cluster unreachable (" + ex.GetType().Name + "); webhooks are stored and answered once a silo is up");
        }
    }
}
