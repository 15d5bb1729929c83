using k8s;

namespace HorizonAI.Deployment.Tests.Infrastructure;

/// <summary>
/// The subset of kustomize's <c>Kustomization</c> and <c>Component</c> that this repository uses. It is read with the
/// same strict loader as the manifests, so a field outside this subset (a typo, or a feature these tests do not
/// understand) fails the tests instead of being ignored.
/// </summary>
public sealed class Kustomization : IKubernetesObject
{
    public const string KustomizationKey = "kustomize.config.k8s.io/v1beta1/Kustomization";
    public const string ComponentKey = "kustomize.config.k8s.io/v1alpha1/Component";

    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public string? Namespace { get; set; }

    public List<string> Resources { get; set; } = [];

    public List<string> Components { get; set; } = [];

    public List<KustomizePatch> Patches { get; set; } = [];

    public List<KustomizeImage> Images { get; set; } = [];

    /// <summary>The absolute path of the folder holding this kustomization.yaml (set by the loader).</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string Directory { get; set; } = "";

    public bool IsComponent => Kind == "Component";
}
