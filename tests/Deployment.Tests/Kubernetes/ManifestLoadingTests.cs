using HorizonAI.Deployment.Tests.Infrastructure;
using k8s;
using k8s.Models;

namespace HorizonAI.Deployment.Tests.Kubernetes;

public sealed class ManifestLoadingTests
{
    private static ManifestCatalog Catalog => ManifestCatalog.Current;

    [Fact]
    public void EveryYamlFileUnderK8sLoadsStrictlyIntoTypedObjects()
    {
        var failures = new List<string>();
        var documents = 0;
        foreach (var file in Catalog.Files)
        {
            try
            {
                documents += ManifestCatalog.LoadFile(file).Count;
            }
            catch (InvalidDataException ex)
            {
                failures.Add(ex.Message);
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(documents >= 20, $"only {documents} documents under k8s/; the manifests are missing");
    }

    [Fact]
    public void TheStrictLoaderRejectsAMisspeltField()
    {
        // Guards the guard: if the loader ever stopped being strict, a typo such as `terminationGracePeriod` would be
        // dropped silently and every other test here would check defaults instead of the manifests.
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: typo
            spec:
              terminationGracePeriod: 60
              containers: []
            """;

        Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(yaml, strict: true));
        Assert.Single(KubernetesYaml.LoadAllFromString(yaml, strict: false));
    }

    [Fact]
    public void MultiDocumentFilesAreSplitIntoTheirObjects()
    {
        var rbac = Catalog.Resources.Where(m => m.File.EndsWith("silo-rbac.yaml", StringComparison.Ordinal)).Select(m => m.Kind).ToList();

        Assert.Equal(["ServiceAccount", "Role", "RoleBinding"], rbac);
    }

    [Fact]
    public void TheBaseHoldsTheWholeSystem()
    {
        var kinds = Catalog.InBase.Select(m => $"{m.Kind}/{m.Name}").ToHashSet();

        string[] expected =
        [
            "Namespace/horizonai", "ConfigMap/horizonai-config",
            "ServiceAccount/horizonai-silo", "Role/horizonai-silo", "RoleBinding/horizonai-silo",
            "Deployment/horizonai-silo", "Service/horizonai-silo", "PodDisruptionBudget/horizonai-silo", "HorizontalPodAutoscaler/horizonai-silo",
            "Deployment/horizonai-gateway", "Service/horizonai-gateway", "Ingress/horizonai-gateway", "PodDisruptionBudget/horizonai-gateway", "HorizontalPodAutoscaler/horizonai-gateway",
            "Job/horizonai-migrate",
        ];
        Assert.Empty(expected.Except(kinds));
    }

    [Fact]
    public void EveryNamespacedObjectLivesInTheInstallNamespace()
    {
        var @namespace = Catalog.All<V1Namespace>().Single().Metadata.Name;
        var clusterScoped = new HashSet<string> { "Namespace", "ClusterRole", "ClusterRoleBinding" };

        var strays = Catalog.Resources.Concat(Catalog.Templates).Concat(Catalog.Patches)
            .Where(m => !clusterScoped.Contains(m.Kind) && m.Namespace != @namespace)
            .Select(m => $"{m} is in namespace '{m.Namespace}'");
        var kustomizations = Catalog.Kustomizations
            .Where(k => k.Namespace is not null && k.Namespace != @namespace)
            .Select(k => $"{RepositoryRoot.Relative(k.Directory)}/kustomization.yaml sets namespace '{k.Namespace}'");

        Assert.Empty(strays.Concat(kustomizations));
    }
}
