using HorizonAI.Deployment.Tests.Infrastructure;
using k8s.Models;

namespace HorizonAI.Deployment.Tests.Kubernetes;

public sealed class PodSecurityTests
{
    private static ManifestCatalog Catalog => ManifestCatalog.Current;

    [Fact]
    public void TheNamespaceEnforcesTheRestrictedPodSecurityStandard()
    {
        var labels = Catalog.All<V1Namespace>().Single().Metadata.Labels;

        Assert.Equal("restricted", labels["pod-security.kubernetes.io/enforce"]);
    }

    [Fact]
    public void EveryPodMeetsTheRestrictedStandard()
    {
        // The namespace enforces "restricted": a pod that misses one of these is refused at admission.
        var violations = new List<string>();
        foreach (var workload in Catalog.Workloads)
        {
            var pod = workload.Pod;
            foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
            {
                var where = $"{workload} container {container.Name}";
                var security = container.SecurityContext;
                if (security?.AllowPrivilegeEscalation != false)
                {
                    violations.Add($"{where}: allowPrivilegeEscalation must be false");
                }

                if (security?.Capabilities?.Drop?.Contains("ALL") != true || (security.Capabilities.Add ?? []).Any(c => c != "NET_BIND_SERVICE"))
                {
                    violations.Add($"{where}: must drop ALL capabilities");
                }

                if ((security?.RunAsNonRoot ?? pod.SecurityContext?.RunAsNonRoot) != true)
                {
                    violations.Add($"{where}: runAsNonRoot must be true");
                }

                if ((security?.RunAsUser ?? pod.SecurityContext?.RunAsUser) == 0)
                {
                    violations.Add($"{where}: runs as uid 0");
                }

                if ((security?.SeccompProfile?.Type ?? pod.SecurityContext?.SeccompProfile?.Type) is not ("RuntimeDefault" or "Localhost"))
                {
                    violations.Add($"{where}: needs seccompProfile RuntimeDefault");
                }

                if (security?.Privileged == true)
                {
                    violations.Add($"{where}: privileged");
                }
            }

            if (pod.HostNetwork == true || pod.HostPID == true || pod.HostIPC == true || (pod.Volumes ?? []).Any(v => v.HostPath is not null))
            {
                violations.Add($"{workload}: uses the host's namespaces or paths");
            }
        }

        Assert.Empty(violations);
    }

    [Theory]
    [InlineData(AppContainers.SiloDeployment)]
    [InlineData(AppContainers.GatewayDeployment)]
    [InlineData(AppContainers.MigrateJob)]
    public void AppPodsRunAsTheImagesAppUser(string name)
    {
        // The Dockerfiles end with USER $APP_UID: uid 1654 in the .NET images.
        var workload = Catalog.Workloads.Single(w => w.Name == name);

        Assert.Equal(1654, workload.Pod.SecurityContext?.RunAsUser);
    }
}
