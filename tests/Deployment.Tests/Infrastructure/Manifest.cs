using k8s;
using k8s.Models;

namespace HorizonAI.Deployment.Tests.Infrastructure;

/// <summary>One Kubernetes object from one YAML document, with the file it came from.</summary>
public sealed record Manifest(string File, IKubernetesObject<V1ObjectMeta> Object)
{
    public string Kind => Object.Kind;

    public string Name => Object.Metadata?.Name ?? "";

    public string? Namespace => Object.Metadata?.NamespaceProperty;

    public override string ToString() => $"{Kind}/{Name} ({RepositoryRoot.Relative(File)})";
}
