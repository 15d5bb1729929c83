using HorizonAI.Deployment.Tests.Infrastructure;
using k8s.Models;

namespace HorizonAI.Deployment.Tests.Kubernetes;

public sealed class SiloClusterTests
{
    private static ManifestCatalog Catalog => ManifestCatalog.Current;

    private static PodWorkload Silo => Catalog.Workload("Deployment", AppContainers.SiloDeployment);

    [Fact]
    public void SiloPodsCarryTheOrleansLabelsOfTheConfiguredCluster()
    {
        var environment = ContainerEnvironment.Of(Silo, Silo.Container("silo"), Catalog);
        var @namespace = Silo.Manifest.Namespace;

        Assert.Equal(environment.PlainValue("ORLEANS_SERVICE_ID", Catalog, @namespace), Label("orleans/serviceId"));
        Assert.Equal(environment.PlainValue("ORLEANS_CLUSTER_ID", Catalog, @namespace), Label("orleans/clusterId"));
        Assert.Equal("horizonai", Label("orleans/clusterId"));
        Assert.Equal("horizonai-whatsapp", Label("orleans/serviceId"));
    }

    [Fact]
    public void SiloPodsLearnTheirNameNamespaceAndAddressFromTheDownwardApi()
    {
        var environment = ContainerEnvironment.Of(Silo, Silo.Container("silo"), Catalog);

        Assert.Equal("metadata.name", FieldPath(environment, "POD_NAME"));
        Assert.Equal("metadata.namespace", FieldPath(environment, "POD_NAMESPACE"));
        Assert.Equal("status.podIP", FieldPath(environment, "POD_IP"));
    }

    [Fact]
    public void SiloServiceAccountMayGetWatchListDeleteAndPatchPods()
    {
        var serviceAccountName = Silo.Pod.ServiceAccountName;
        Assert.False(string.IsNullOrEmpty(serviceAccountName), "the silo pods run as the namespace's default service account");
        var serviceAccount = Catalog.Single<V1ServiceAccount>(serviceAccountName);
        Assert.NotEqual(false, serviceAccount.AutomountServiceAccountToken);
        Assert.NotEqual(false, Silo.Pod.AutomountServiceAccountToken);

        var bindings = Catalog.All<V1RoleBinding>()
            .Where(b => b.Subjects.Any(s => s.Kind == "ServiceAccount" && s.Name == serviceAccountName && s.NamespaceProperty == Silo.Manifest.Namespace))
            .ToList();
        Assert.NotEmpty(bindings);

        var granted = bindings
            .Where(b => b.RoleRef.Kind == "Role" && b.RoleRef.ApiGroup == "rbac.authorization.k8s.io")
            .Select(b => Catalog.Single<V1Role>(b.RoleRef.Name))
            .SelectMany(r => r.Rules)
            .Where(rule => rule.ApiGroups.Contains("") && rule.Resources.Contains("pods"))
            .SelectMany(rule => rule.Verbs)
            .ToHashSet();
        string[] needed = ["get", "watch", "list", "delete", "patch"];

        Assert.True(needed.All(granted.Contains), $"the silo may only {string.Join(", ", granted)} pods; Orleans' Kubernetes hosting needs {string.Join(", ", needed)}");
    }

    [Fact]
    public void OnlyTheSilosRunWithTheSiloServiceAccount()
    {
        var others = Catalog.Workloads.Where(w => w != Silo && w.Pod.ServiceAccountName == Silo.Pod.ServiceAccountName);

        Assert.Empty(others.Select(w => $"{w} may delete pods through {w.Pod.ServiceAccountName}"));
    }

    [Theory]
    [InlineData(AppContainers.SiloDeployment, "silo", "Silo")]
    [InlineData(AppContainers.GatewayDeployment, "gateway", "Gateway")]
    public void TheGracePeriodCoversPreStopAndTheGracefulShutdown(string deployment, string container, string project)
    {
        var workload = Catalog.Workload("Deployment", deployment);
        var preStop = PreStopSeconds(workload.Container(container));
        var shutdown = ProductSource.ShutdownTimeout(project);
        var grace = workload.Pod.TerminationGracePeriodSeconds;

        Assert.True(preStop > 0, $"{workload} has no preStop pause before SIGTERM");
        Assert.True(
            grace > preStop + (long)shutdown.TotalSeconds,
            $"{workload}: terminationGracePeriodSeconds {grace} must exceed preStop {preStop} s + {project}'s shutdown timeout {shutdown.TotalSeconds} s, or the kubelet kills it mid-handover");
    }

    [Fact]
    public void TheSiloShutdownTimeoutIsTheOneTheManifestsPlanFor()
    {
        // The silo's 45 s graceful shutdown is the reason for the 75 s grace period; if the code changes, revisit both.
        Assert.Equal(TimeSpan.FromSeconds(45), ProductSource.ShutdownTimeout("Silo"));
    }

    [Theory]
    [InlineData(AppContainers.SiloDeployment)]
    [InlineData(AppContainers.GatewayDeployment)]
    public void RollingUpdatesAddANewPodBeforeRemovingAnOldOne(string name)
    {
        var deployment = Catalog.Single<V1Deployment>(name);
        var rolling = deployment.Spec.Strategy?.RollingUpdate;

        Assert.Equal("RollingUpdate", deployment.Spec.Strategy?.Type);
        Assert.Equal("0", rolling?.MaxUnavailable?.Value);
        Assert.Equal("1", rolling?.MaxSurge?.Value);
    }

    [Fact]
    public void VoluntaryDisruptionsTakeAtMostOneSiloAtATime()
    {
        var budget = Catalog.All<V1PodDisruptionBudget>().Single(b => LabelSelectors.Matches(b.Spec.Selector, Silo.PodLabels));
        var minimum = Catalog.All<V2HorizontalPodAutoscaler>().Single(h => h.Spec.ScaleTargetRef.Name == Silo.Name).Spec.MinReplicas;

        Assert.True(budget.Spec.MaxUnavailable?.Value == "1" || budget.Spec.MinAvailable?.Value == (minimum - 1)?.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"PodDisruptionBudget {budget.Metadata.Name} should allow one silo down at a time");
        Assert.True(minimum >= 2, "one silo alone leaves the grains nowhere to go during a drain");
    }

    [Fact]
    public void SiloPodsDeclareTheOrleansAndHttpPorts()
    {
        var ports = Silo.Container("silo").Ports.Select(p => p.ContainerPort).Order();

        Assert.Equal([8081, 11111, 30000], ports);
    }

    [Fact]
    public void AppContainersRequestAndLimitCpuAndMemory()
    {
        foreach (var workload in Catalog.Workloads)
        {
            foreach (var container in workload.Pod.Containers)
            {
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    Assert.True(container.Resources?.Requests?.ContainsKey(resource) == true, $"{workload} container {container.Name} requests no {resource}");
                    Assert.True(container.Resources?.Limits?.ContainsKey(resource) == true, $"{workload} container {container.Name} has no {resource} limit");
                    var request = container.Resources.Requests[resource].ToDecimal();
                    var limit = container.Resources.Limits[resource].ToDecimal();
                    Assert.True(request <= limit, $"{workload} container {container.Name}: {resource} request {request} exceeds its limit {limit}");
                }
            }
        }
    }

    internal static long PreStopSeconds(V1Container container) =>
        container.Lifecycle?.PreStop?.Sleep?.Seconds
        ?? (container.Lifecycle?.PreStop?.Exec?.Command is [.., "sleep", var seconds] ? long.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture) : 0);

    private static string? Label(string name) => Silo.PodLabels.TryGetValue(name, out var value) ? value : null;

    private static string? FieldPath(ContainerEnvironment environment, string name)
    {
        Assert.True(environment.Variables.TryGetValue(name, out var value), $"the silo container gets no {name}");
        return value.FieldPath;
    }
}
