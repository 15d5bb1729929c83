using System.Text;
using k8s;
using k8s.Models;

namespace HorizonAI.Deployment.Tests.Infrastructure;

/// <summary>
/// Every YAML file under <c>k8s/</c>, split into documents and read into the client library's typed models with its
/// strict loader (an unknown or misspelt field fails). Files are sorted by role, by name:
/// <c>kustomization.yaml</c>, <c>*.template.yaml</c> (Secrets the operator fills in and applies by hand),
/// <c>*.patch.yaml</c> (strategic-merge patches of a component) and everything else (resources).
/// </summary>
public sealed class ManifestCatalog
{
    public const string ManifestFolder = "k8s";
    public const string BaseFolder = "k8s/base";
    public const string PostgresComponentFolder = "k8s/components/postgres";
    public const string TemplateSuffix = ".template.yaml";
    public const string PatchSuffix = ".patch.yaml";

    private static readonly Lazy<ManifestCatalog> Loaded = new(() => Load(RepositoryRoot.Combine(ManifestFolder)));

    private static readonly Dictionary<string, Type> KustomizeTypes = new()
    {
        [Kustomization.KustomizationKey] = typeof(Kustomization),
        [Kustomization.ComponentKey] = typeof(Kustomization),
    };

    private ManifestCatalog(IReadOnlyList<Kustomization> kustomizations, IReadOnlyList<Manifest> resources, IReadOnlyList<Manifest> templates, IReadOnlyList<Manifest> patches, IReadOnlyList<string> files)
    {
        Kustomizations = kustomizations;
        Resources = resources;
        Templates = templates;
        Patches = patches;
        Files = files;
    }

    /// <summary>The repository's manifests, loaded once per test run.</summary>
    public static ManifestCatalog Current => Loaded.Value;

    public IReadOnlyList<Kustomization> Kustomizations { get; }

    /// <summary>Objects that kustomize applies (the base and the components).</summary>
    public IReadOnlyList<Manifest> Resources { get; }

    /// <summary>Secrets the operator creates from a template.</summary>
    public IReadOnlyList<Manifest> Templates { get; }

    public IReadOnlyList<Manifest> Patches { get; }

    /// <summary>Every YAML file found, absolute paths.</summary>
    public IReadOnlyList<string> Files { get; }

    public IEnumerable<Manifest> InBase => Resources.Where(m => IsUnder(m.File, BaseFolder));

    public IEnumerable<PodWorkload> Workloads => Resources.Select(PodWorkload.From).OfType<PodWorkload>();

    public PodWorkload Workload(string kind, string name) =>
        Workloads.SingleOrDefault(w => w.Kind == kind && w.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} named {name} under {ManifestFolder}/");

    public T Single<T>(string name) where T : IKubernetesObject<V1ObjectMeta> =>
        Resources.Select(m => m.Object).OfType<T>().SingleOrDefault(o => o.Metadata.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"no {typeof(T).Name} named {name} under {ManifestFolder}/");

    public IEnumerable<T> All<T>() => Resources.Select(m => m.Object).OfType<T>();

    /// <summary>A Secret the pods can read: applied by kustomize or created by the operator from a template.</summary>
    public V1Secret? Secret(string name, string? @namespace) =>
        Resources.Concat(Templates).Select(m => m.Object).OfType<V1Secret>()
            .SingleOrDefault(s => s.Metadata.Name == name && s.Metadata.NamespaceProperty == @namespace);

    public V1ConfigMap? ConfigMap(string name, string? @namespace) =>
        Resources.Concat(Templates).Select(m => m.Object).OfType<V1ConfigMap>()
            .SingleOrDefault(c => c.Metadata.Name == name && c.Metadata.NamespaceProperty == @namespace);

    /// <summary>A Secret's keys and values, whether written as <c>stringData</c> or base64 <c>data</c>.</summary>
    public static IReadOnlyDictionary<string, string> Values(V1Secret secret)
    {
        var values = new Dictionary<string, string>();
        foreach (var (key, value) in secret.StringData ?? new Dictionary<string, string>())
        {
            values[key] = value;
        }

        // The YAML loader hands `data` over as the UTF-8 bytes of the base64 text.
        foreach (var (key, value) in secret.Data ?? new Dictionary<string, byte[]>())
        {
            values[key] = Encoding.UTF8.GetString(Convert.FromBase64String(Encoding.UTF8.GetString(value)));
        }

        return values;
    }

    public static bool IsUnder(string absolutePath, string relativeFolder) =>
        RepositoryRoot.Relative(absolutePath).StartsWith(relativeFolder + "/", StringComparison.Ordinal);

    /// <summary>Reads one file's documents strictly; the exception names the file.</summary>
    public static List<object> LoadFile(string path)
    {
        var content = File.ReadAllText(path);
        try
        {
            return KubernetesYaml.LoadAllFromString(content, KustomizeTypes, strict: true);
        }
        catch (Exception ex)
        {
            throw new InvalidDataException($"{RepositoryRoot.Relative(path)} does not load as Kubernetes objects: {ex.GetBaseException().Message}", ex);
        }
    }

    private static ManifestCatalog Load(string folder)
    {
        var files = System.IO.Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

        var kustomizations = new List<Kustomization>();
        var resources = new List<Manifest>();
        var templates = new List<Manifest>();
        var patches = new List<Manifest>();
        foreach (var file in files)
        {
            var documents = LoadFile(file);
            if (Path.GetFileName(file) == "kustomization.yaml")
            {
                var kustomization = documents.OfType<Kustomization>().Single();
                kustomization.Directory = Path.GetDirectoryName(file)!;
                kustomizations.Add(kustomization);
                continue;
            }

            var target = file.EndsWith(TemplateSuffix, StringComparison.Ordinal) ? templates
                : file.EndsWith(PatchSuffix, StringComparison.Ordinal) ? patches
                : resources;
            foreach (var document in documents)
            {
                var typed = document as IKubernetesObject<V1ObjectMeta>
                    ?? throw new InvalidDataException($"{RepositoryRoot.Relative(file)}: {document.GetType().Name} is not a Kubernetes object with metadata");
                target.Add(new Manifest(file, typed));
            }
        }

        return new ManifestCatalog(kustomizations, resources, templates, patches, files);
    }
}
