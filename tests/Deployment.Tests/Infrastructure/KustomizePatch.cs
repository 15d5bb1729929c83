namespace HorizonAI.Deployment.Tests.Infrastructure;

/// <summary>A <c>patches:</c> entry of a kustomization; only file patches (strategic merge) are used here.</summary>
public sealed class KustomizePatch
{
    public string? Path { get; set; }
}
