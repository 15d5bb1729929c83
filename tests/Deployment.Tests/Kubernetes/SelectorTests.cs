using HorizonAI.Deployment.Tests.Infrastructure;
using k8s.Models;

namespace HorizonAI.Deployment.Tests.Kubernetes;

public sealed class SelectorTests
{
    private static ManifestCatalog Catalog => ManifestCatalog.Current;

    [Fact]
    public void EveryWorkloadSelectorMatchesItsOwnPodTemplate()
    {
        var workloads = Catalog.Workloads.Where(w => w.Kind != "Job").ToList();

        Assert.NotEmpty(workloads);
        Assert.All(workloads, w => Assert.True(LabelSelectors.Matches(w.Selector, w.PodLabels), $"{w}: spec.selector does not match spec.template.metadata.labels"));
    }

    [Fact]
    public void NoTwoWorkloadsShareTheirPods()
    {
        // A Deployment whose selector also picks another workload's pods fights that workload over them.
        var overlaps = from a in Catalog.Workloads.Where(w => w.Selector is not null)
                       from b in Catalog.Workloads
                       where a != b && LabelSelectors.Matches(a.Selector, b.PodLabels)
                       select $"{a} selects the pods of {b}";

        Assert.Empty(overlaps);
    }

    [Fact]
    public void EveryServiceSelectsExactlyOneWorkloadAndTargetsItsDeclaredPorts()
    {
        var services = Catalog.All<V1Service>().ToList();

        Assert.NotEmpty(services);
        foreach (var service in services)
        {
            var target = SingleSelected(service.Spec.Selector, $"Service {service.Metadata.Name}");
            foreach (var port in service.Spec.Ports)
            {
                var targetPort = port.TargetPort?.Value ?? port.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(DeclaresPort(target, targetPort), $"Service {service.Metadata.Name} port {port.Name} targets '{targetPort}', which {target} does not declare");
            }
        }
    }

    [Fact]
    public void EveryPodDisruptionBudgetSelectsExactlyOneWorkload()
    {
        var budgets = Catalog.All<V1PodDisruptionBudget>().ToList();

        Assert.Contains(budgets, b => b.Metadata.Name == "horizonai-silo");
        foreach (var budget in budgets)
        {
            var target = Catalog.Workloads.Where(w => LabelSelectors.Matches(budget.Spec.Selector, w.PodLabels)).ToList();
            Assert.True(target.Count == 1, $"PodDisruptionBudget {budget.Metadata.Name} selects {target.Count} workloads");
        }
    }

    [Fact]
    public void EveryDeploymentHasAnAutoscalerThatCanMeasureIt()
    {
        var autoscalers = Catalog.All<V2HorizontalPodAutoscaler>().ToList();
        foreach (var deployment in Catalog.All<V1Deployment>())
        {
            var hpa = autoscalers.SingleOrDefault(h => h.Spec.ScaleTargetRef.Kind == "Deployment" && h.Spec.ScaleTargetRef.Name == deployment.Metadata.Name);
            Assert.True(hpa is not null, $"Deployment {deployment.Metadata.Name} has no HorizontalPodAutoscaler");
            Assert.Equal("apps/v1", hpa.Spec.ScaleTargetRef.ApiVersion);
            Assert.True(hpa.Spec.MinReplicas >= 2, $"HPA {hpa.Metadata.Name}: minReplicas {hpa.Spec.MinReplicas}; one pod is a single point of failure");
            Assert.True(hpa.Spec.MaxReplicas > hpa.Spec.MinReplicas, $"HPA {hpa.Metadata.Name} cannot scale out");

            // Utilization targets are a share of the containers' requests: without a request the HPA measures nothing.
            var workload = Catalog.Workload("Deployment", deployment.Metadata.Name);
            foreach (var metric in hpa.Spec.Metrics.Where(m => m.Type == "Resource"))
            {
                Assert.All(workload.Pod.Containers, c => Assert.True(
                    c.Resources?.Requests?.ContainsKey(metric.Resource.Name) == true,
                    $"{workload} container {c.Name} requests no {metric.Resource.Name}, so HPA {hpa.Metadata.Name} cannot compute its utilization"));
            }

            // The HPA owns the count; a `replicas` in the Deployment would reset it on every apply.
            Assert.True(deployment.Spec.Replicas is null, $"Deployment {deployment.Metadata.Name} sets replicas although HPA {hpa.Metadata.Name} manages them");
        }

        Assert.All(autoscalers, h => Assert.Contains(Catalog.All<V1Deployment>(), d => d.Metadata.Name == h.Spec.ScaleTargetRef.Name));
    }

    [Fact]
    public void TopologySpreadConstraintsCountTheirOwnPods()
    {
        foreach (var workload in Catalog.Workloads)
        {
            foreach (var constraint in workload.Pod.TopologySpreadConstraints ?? [])
            {
                Assert.True(LabelSelectors.Matches(constraint.LabelSelector, workload.PodLabels), $"{workload}: a topology spread constraint does not select the workload's own pods");
            }
        }
    }

    private static PodWorkload SingleSelected(IDictionary<string, string>? selector, string what)
    {
        var selected = Catalog.Workloads.Where(w => LabelSelectors.Matches(selector, w.PodLabels)).ToList();
        Assert.True(selected.Count == 1, $"{what} selects {selected.Count} workloads: {string.Join(", ", selected)}");
        return selected[0];
    }

    private static bool DeclaresPort(PodWorkload workload, string port) =>
        workload.Pod.Containers.SelectMany(c => c.Ports ?? []).Any(p => p.Name == port || p.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture) == port);
}
