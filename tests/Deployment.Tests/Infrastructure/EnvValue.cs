namespace HorizonAI.Deployment.Tests.Infrastructure;

/// <summary>Where one environment variable of a container gets its value.</summary>
public sealed record EnvValue
{
    public string? Literal { get; init; }

    /// <summary>A downward-API field such as <c>metadata.name</c>.</summary>
    public string? FieldPath { get; init; }

    public string? SecretName { get; init; }

    public string? ConfigMapName { get; init; }

    public string? Key { get; init; }

    public bool Optional { get; init; }

    public override string ToString() =>
        Literal is not null ? $"\"{Literal}\""
        : FieldPath is not null ? $"fieldRef {FieldPath}"
        : SecretName is not null ? $"Secret {SecretName}[{Key}]"
        : ConfigMapName is not null ? $"ConfigMap {ConfigMapName}[{Key}]"
        : "(empty)";
}
