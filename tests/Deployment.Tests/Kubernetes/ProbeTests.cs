using HorizonAI.Deployment.Tests.Infrastructure;
using k8s.Models;

namespace HorizonAI.Deployment.Tests.Kubernetes;

public sealed class ProbeTests
{
    private const string LivePath = "/health/live";
    private const string ReadyPath = "/health/ready";

    private static ManifestCatalog Catalog => ManifestCatalog.Current;

    [Theory]
    [MemberData(nameof(AppContainers.HttpApps), MemberType = typeof(AppContainers))]
    public void ProbesAskTheHealthEndpointsOnTheAppsHttpPort(string workloadName, string containerName, int httpPort)
    {
        var workload = Catalog.Workload("Deployment", workloadName);
        var container = workload.Container(containerName);

        Assert.Equal(ReadyPath, HttpGet(container.ReadinessProbe, workload, "readiness").Path);
        Assert.Equal(LivePath, HttpGet(container.LivenessProbe, workload, "liveness").Path);
        if (container.StartupProbe is not null)
        {
            // Liveness semantics: starting must not depend on the database or the cluster, or a slow dependency
            // would get the pod killed in a loop.
            Assert.Equal(LivePath, HttpGet(container.StartupProbe, workload, "startup").Path);
        }

        foreach (var probe in new[] { container.ReadinessProbe, container.LivenessProbe, container.StartupProbe }.OfType<V1Probe>())
        {
            var port = (container.Ports ?? []).SingleOrDefault(p => p.Name == probe.HttpGet.Port.Value || p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == probe.HttpGet.Port.Value);
            Assert.True(port is not null, $"{workload}: probe port '{probe.HttpGet.Port.Value}' is not a declared container port");
            Assert.Equal(httpPort, port.ContainerPort);
        }
    }

    [Fact]
    public void TheAppsMapTheProbedHealthPaths()
    {
        var health = RepositoryRoot.ReadText("ServiceDefaults/Hosting/HealthEndpointExtensions.cs");

        Assert.Contains($"\"{LivePath}\"", health, StringComparison.Ordinal);
        Assert.Contains($"\"{ReadyPath}\"", health, StringComparison.Ordinal);
        Assert.True(ProductSource.Mentions("Silo", "MapHealthEndpoints()"), "the Silo does not map the health endpoints");
        Assert.True(ProductSource.Mentions("Gateway", "MapHealthEndpoints()"), "the Gateway does not map the health endpoints");
    }

    [Theory]
    [MemberData(nameof(AppContainers.HttpApps), MemberType = typeof(AppContainers))]
    public void TheAppsListenOnTheProbedPortByDefault(string workloadName, string containerName, int httpPort)
    {
        var project = workloadName == AppContainers.SiloDeployment ? "Silo" : "Gateway";

        Assert.True(ProductSource.Mentions(project, $"UseDefaultPort({httpPort})"), $"{project} does not listen on {httpPort} by default");
        Assert.Contains(Catalog.Workload("Deployment", workloadName).Container(containerName).Ports, p => p.ContainerPort == httpPort);
    }

    private static V1HTTPGetAction HttpGet(V1Probe? probe, PodWorkload workload, string kind)
    {
        Assert.True(probe?.HttpGet is not null, $"{workload} has no HTTP {kind} probe");
        return probe.HttpGet;
    }
}
