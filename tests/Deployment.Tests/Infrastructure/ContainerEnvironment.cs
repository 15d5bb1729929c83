using k8s.Models;

namespace HorizonAI.Deployment.Tests.Infrastructure;

/// <summary>
/// The environment a container starts with, worked out as the kubelet does: every key of each <c>envFrom</c> source,
/// then the <c>env</c> entries, which win. References to Secrets and ConfigMaps that the manifests (or the Secret
/// templates) do not define, or to keys they lack, are collected in <see cref="Problems"/>.
/// </summary>
public sealed class ContainerEnvironment
{
    private ContainerEnvironment(IReadOnlyDictionary<string, EnvValue> variables, IReadOnlyList<string> problems)
    {
        Variables = variables;
        Problems = problems;
    }

    public IReadOnlyDictionary<string, EnvValue> Variables { get; }

    public IReadOnlyList<string> Problems { get; }

    public static ContainerEnvironment Of(PodWorkload workload, V1Container container, ManifestCatalog catalog)
    {
        var @namespace = workload.Manifest.Namespace;
        var variables = new Dictionary<string, EnvValue>();
        var problems = new List<string>();
        var where = $"{workload} container {container.Name}";

        foreach (var source in container.EnvFrom ?? [])
        {
            var prefix = source.Prefix ?? "";
            if (source.ConfigMapRef is { } configMapRef)
            {
                var configMap = catalog.ConfigMap(configMapRef.Name, @namespace);
                if (configMap is null)
                {
                    if (configMapRef.Optional != true)
                    {
                        problems.Add($"{where}: envFrom ConfigMap {configMapRef.Name} is not defined");
                    }

                    continue;
                }

                foreach (var key in (configMap.Data ?? new Dictionary<string, string>()).Keys)
                {
                    variables[prefix + key] = new EnvValue { ConfigMapName = configMapRef.Name, Key = key };
                }
            }

            if (source.SecretRef is { } secretRef)
            {
                var secret = catalog.Secret(secretRef.Name, @namespace);
                if (secret is null)
                {
                    if (secretRef.Optional != true)
                    {
                        problems.Add($"{where}: envFrom Secret {secretRef.Name} is not defined");
                    }

                    continue;
                }

                foreach (var key in ManifestCatalog.Values(secret).Keys)
                {
                    variables[prefix + key] = new EnvValue { SecretName = secretRef.Name, Key = key };
                }
            }
        }

        foreach (var variable in container.Env ?? [])
        {
            variables[variable.Name] = Resolve(variable, catalog, @namespace, where, problems);
        }

        return new ContainerEnvironment(variables, problems);
    }

    /// <summary>The value a variable ends up with when it comes from a literal or a ConfigMap; null otherwise.</summary>
    public string? PlainValue(string name, ManifestCatalog catalog, string? @namespace)
    {
        if (!Variables.TryGetValue(name, out var value))
        {
            return null;
        }

        if (value.Literal is not null)
        {
            return value.Literal;
        }

        if (value.ConfigMapName is not null
            && catalog.ConfigMap(value.ConfigMapName, @namespace)?.Data is { } data
            && data.TryGetValue(value.Key!, out var text))
        {
            return text;
        }

        return null;
    }

    private static EnvValue Resolve(V1EnvVar variable, ManifestCatalog catalog, string? @namespace, string where, List<string> problems)
    {
        if (variable.ValueFrom is null)
        {
            return new EnvValue { Literal = variable.Value ?? "" };
        }

        if (variable.ValueFrom.FieldRef is { } fieldRef)
        {
            return new EnvValue { FieldPath = fieldRef.FieldPath };
        }

        if (variable.ValueFrom.SecretKeyRef is { } secretKeyRef)
        {
            var secret = catalog.Secret(secretKeyRef.Name, @namespace);
            if (secretKeyRef.Optional != true && (secret is null || !ManifestCatalog.Values(secret).ContainsKey(secretKeyRef.Key)))
            {
                problems.Add($"{where}: {variable.Name} reads Secret {secretKeyRef.Name}[{secretKeyRef.Key}], which no manifest or template defines");
            }

            return new EnvValue { SecretName = secretKeyRef.Name, Key = secretKeyRef.Key, Optional = secretKeyRef.Optional == true };
        }

        if (variable.ValueFrom.ConfigMapKeyRef is { } configMapKeyRef)
        {
            var configMap = catalog.ConfigMap(configMapKeyRef.Name, @namespace);
            if (configMapKeyRef.Optional != true && (configMap?.Data is null || !configMap.Data.ContainsKey(configMapKeyRef.Key)))
            {
                problems.Add($"{where}: {variable.Name} reads ConfigMap {configMapKeyRef.Name}[{configMapKeyRef.Key}], which no manifest defines");
            }

            return new EnvValue { ConfigMapName = configMapKeyRef.Name, Key = configMapKeyRef.Key, Optional = configMapKeyRef.Optional == true };
        }

        problems.Add($"{where}: {variable.Name} has a valueFrom these tests do not understand");
        return new EnvValue();
    }
}
