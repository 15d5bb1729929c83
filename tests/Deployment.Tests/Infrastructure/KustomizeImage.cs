namespace HorizonAI.Deployment.Tests.Infrastructure;

/// <summary>An <c>images:</c> entry of a kustomization: the image name used in the manifests and its replacement.</summary>
public sealed class KustomizeImage
{
    public string Name { get; set; } = "";

    public string? NewName { get; set; }

    public string? NewTag { get; set; }

    public string? Digest { get; set; }
}
