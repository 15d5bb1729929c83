using HorizonAI.Deployment.Tests.Infrastructure;
using k8s.Models;

namespace HorizonAI.Deployment.Tests.Kubernetes;

public sealed class EnvironmentTests
{
    private static ManifestCatalog Catalog => ManifestCatalog.Current;

    [Theory]
    [MemberData(nameof(AppContainers.RequiredVariables), MemberType = typeof(AppContainers))]
    public void EveryVariableAnAppRequiresReachesItsContainer(string kind, string workloadName, string containerName, string[] required)
    {
        var workload = Catalog.Workload(kind, workloadName);
        var environment = ContainerEnvironment.Of(workload, workload.Container(containerName), Catalog);

        var missing = required.Where(v => !environment.Variables.ContainsKey(v)).ToList();

        Assert.True(missing.Count == 0, $"{workload} container {containerName} gets no {string.Join(", ", missing)}");
        Assert.All(required, v => Assert.False(environment.Variables[v].Optional, $"{workload}: {v} is required but referenced as optional"));
    }

    [Fact]
    public void EverySecretAndConfigMapReferenceResolvesToAKeyThatExists()
    {
        var problems = Catalog.Workloads
            .SelectMany(w => w.Pod.Containers.Concat(w.Pod.InitContainers ?? []).Select(c => ContainerEnvironment.Of(w, c, Catalog)))
            .SelectMany(e => e.Problems)
            .ToList();

        Assert.Empty(problems);
    }

    [Fact]
    public void CredentialsComeFromSecretsNeverFromLiteralsOrConfigMaps()
    {
        string[] secrets = ["DATABASE_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "OPENAI_API_KEY", "ADMIN_API_KEY", "POSTGRES_PASSWORD"];
        var leaks = new List<string>();
        foreach (var workload in Catalog.Workloads)
        {
            foreach (var container in workload.Pod.Containers)
            {
                var environment = ContainerEnvironment.Of(workload, container, Catalog);
                leaks.AddRange(secrets
                    .Where(s => environment.Variables.TryGetValue(s, out var value) && value.SecretName is null)
                    .Select(s => $"{workload} container {container.Name}: {s} = {environment.Variables[s]}"));
            }
        }

        Assert.Empty(leaks);
        Assert.All(Catalog.All<V1ConfigMap>(), c => Assert.Empty((c.Data ?? new Dictionary<string, string>()).Keys.Intersect(secrets)));
    }

    [Fact]
    public void SilosAndGatewaysJoinTheSameOrleansCluster()
    {
        // A gateway configured with another cluster or service id finds no silo and never becomes ready.
        var silo = Environment(AppContainers.SiloDeployment, "silo");
        var gateway = Environment(AppContainers.GatewayDeployment, "gateway");
        var @namespace = Catalog.Workload("Deployment", AppContainers.SiloDeployment).Manifest.Namespace;

        foreach (var name in new[] { "ORLEANS_CLUSTER_ID", "ORLEANS_SERVICE_ID" })
        {
            var siloValue = silo.PlainValue(name, Catalog, @namespace);
            Assert.False(string.IsNullOrEmpty(siloValue), $"the silo gets no {name}");
            Assert.Equal(siloValue, gateway.PlainValue(name, Catalog, @namespace));
        }
    }

    [Fact]
    public void SilosAndGatewaysShareThePublicBaseUrl()
    {
        // The gateway checks Twilio's signature against it; the silos build status-callback URLs from it.
        var @namespace = Catalog.Workload("Deployment", AppContainers.SiloDeployment).Manifest.Namespace;
        var silo = Environment(AppContainers.SiloDeployment, "silo").PlainValue("PUBLIC_BASE_URL", Catalog, @namespace);
        var gateway = Environment(AppContainers.GatewayDeployment, "gateway").PlainValue("PUBLIC_BASE_URL", Catalog, @namespace);

        Assert.True(Uri.TryCreate(gateway, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps, $"PUBLIC_BASE_URL '{gateway}' is not an https URL");
        Assert.Equal(gateway, silo);
    }

    [Theory]
    [MemberData(nameof(AppContainers.HttpApps), MemberType = typeof(AppContainers))]
    public void PortVariablesNameDeclaredContainerPorts(string workloadName, string containerName, int defaultHttpPort)
    {
        var workload = Catalog.Workload("Deployment", workloadName);
        var container = workload.Container(containerName);
        var environment = ContainerEnvironment.Of(workload, container, Catalog);
        var declared = (container.Ports ?? []).Select(p => p.ContainerPort).ToHashSet();

        Assert.Equal(defaultHttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), environment.PlainValue("PORT", Catalog, workload.Manifest.Namespace));
        foreach (var name in new[] { "PORT", "ORLEANS_SILO_PORT", "ORLEANS_GATEWAY_PORT" }.Where(environment.Variables.ContainsKey))
        {
            var value = environment.PlainValue(name, Catalog, workload.Manifest.Namespace);
            Assert.True(int.TryParse(value, out var port) && declared.Contains(port), $"{workload}: {name}={value} is not a declared container port ({string.Join(", ", declared)})");
        }
    }

    private static ContainerEnvironment Environment(string deployment, string container)
    {
        var workload = Catalog.Workload("Deployment", deployment);
        return ContainerEnvironment.Of(workload, workload.Container(container), Catalog);
    }
}
