using k8s.Models;

namespace HorizonAI.Deployment.Tests.Infrastructure;

/// <summary>A Deployment, StatefulSet or Job: an object that runs pods from a template.</summary>
public sealed record PodWorkload(Manifest Manifest, V1LabelSelector? Selector, V1PodTemplateSpec Template)
{
    public string Kind => Manifest.Kind;

    public string Name => Manifest.Name;

    public V1PodSpec Pod => Template.Spec;

    public IDictionary<string, string> PodLabels => Template.Metadata?.Labels ?? new Dictionary<string, string>();

    public V1Container Container(string name) =>
        Pod.Containers.SingleOrDefault(c => c.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"{Manifest} has no container named '{name}'");

    public static PodWorkload? From(Manifest manifest) => manifest.Object switch
    {
        V1Deployment d => new PodWorkload(manifest, d.Spec.Selector, d.Spec.Template),
        V1StatefulSet s => new PodWorkload(manifest, s.Spec.Selector, s.Spec.Template),
        V1DaemonSet s => new PodWorkload(manifest, s.Spec.Selector, s.Spec.Template),
        V1Job j => new PodWorkload(manifest, j.Spec.Selector, j.Spec.Template),
        _ => null,
    };

    public override string ToString() => Manifest.ToString();
}
