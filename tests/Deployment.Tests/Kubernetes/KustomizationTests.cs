using HorizonAI.Deployment.Tests.Infrastructure;

namespace HorizonAI.Deployment.Tests.Kubernetes;

public sealed class KustomizationTests
{
    private static ManifestCatalog Catalog => ManifestCatalog.Current;

    [Fact]
    public void EveryEntryOfEveryKustomizationExists()
    {
        var missing = new List<string>();
        foreach (var kustomization in Catalog.Kustomizations)
        {
            foreach (var entry in kustomization.Resources.Concat(kustomization.Components))
            {
                var path = Path.GetFullPath(Path.Combine(kustomization.Directory, entry));
                var exists = File.Exists(path) || File.Exists(Path.Combine(path, "kustomization.yaml"));
                if (!exists)
                {
                    missing.Add($"{Name(kustomization)} lists '{entry}', which is neither a file nor a folder with a kustomization.yaml");
                }
            }

            foreach (var patch in kustomization.Patches)
            {
                Assert.False(string.IsNullOrEmpty(patch.Path), $"{Name(kustomization)} has a patch without a path");
                if (!File.Exists(Path.Combine(kustomization.Directory, patch.Path!)))
                {
                    missing.Add($"{Name(kustomization)} patches with '{patch.Path}', which does not exist");
                }
            }
        }

        Assert.Empty(missing);
    }

    [Fact]
    public void EveryManifestFileIsListedByTheKustomizationOfItsFolder()
    {
        var unlisted = new List<string>();
        foreach (var file in Catalog.Files.Where(f => Path.GetFileName(f) != "kustomization.yaml" && !f.EndsWith(ManifestCatalog.TemplateSuffix, StringComparison.Ordinal)))
        {
            var folder = Path.GetDirectoryName(file)!;
            var kustomization = Catalog.Kustomizations.SingleOrDefault(k => k.Directory == folder);
            var name = Path.GetFileName(file);
            var listedAs = kustomization is null ? null
                : kustomization.Resources.Contains(name) ? ManifestRole.Resource
                : kustomization.Patches.Any(p => p.Path == name) ? ManifestRole.Patch
                : (ManifestRole?)null;
            var expected = name.EndsWith(ManifestCatalog.PatchSuffix, StringComparison.Ordinal) ? ManifestRole.Patch : ManifestRole.Resource;
            if (listedAs != expected)
            {
                unlisted.Add($"{RepositoryRoot.Relative(file)} should be listed under {(expected == ManifestRole.Patch ? "patches" : "resources")} of the kustomization.yaml beside it");
            }
        }

        Assert.Empty(unlisted);
    }

    [Fact]
    public void SecretTemplatesAreNeverApplied()
    {
        // Applying a template from kustomize would overwrite the operator's real credentials with placeholders.
        Assert.NotEmpty(Catalog.Templates);
        var applied = Catalog.Kustomizations
            .SelectMany(k => k.Resources.Concat(k.Patches.Select(p => p.Path ?? "")).Select(entry => (k, entry)))
            .Where(x => x.entry.EndsWith(ManifestCatalog.TemplateSuffix, StringComparison.Ordinal))
            .Select(x => $"{Name(x.k)} applies the template {x.entry}");

        Assert.Empty(applied);
        Assert.All(Catalog.Templates, t => Assert.Equal("Secret", t.Kind));
    }

    [Fact]
    public void NoKustomizationLoadsAFolderThatContainsIt()
    {
        // kustomize refuses such a layout ("cycle detected: candidate root … contains visited root …"), which is why the
        // overlay sits beside the base instead of inside it.
        var cycles = new List<string>();
        foreach (var kustomization in Catalog.Kustomizations)
        {
            foreach (var entry in kustomization.Resources.Concat(kustomization.Components))
            {
                var target = Path.GetFullPath(Path.Combine(kustomization.Directory, entry));
                if (Directory.Exists(target) && (kustomization.Directory + Path.DirectorySeparatorChar).StartsWith(target + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    cycles.Add($"{Name(kustomization)} loads '{entry}', a folder that contains it");
                }
            }
        }

        Assert.Empty(cycles);
    }

    [Fact]
    public void TheDefaultInstallIsTheBaseAndTheOverlayAddsThePostgresComponent()
    {
        var root = Kustomization("k8s");
        Assert.Equal(["base"], root.Resources);
        Assert.Empty(root.Components);

        var component = Kustomization(ManifestCatalog.PostgresComponentFolder);
        Assert.True(component.IsComponent, "components/postgres must be a kustomize Component (kind: Component)");
        Assert.Equal("kustomize.config.k8s.io/v1alpha1", component.ApiVersion);

        var overlay = Kustomization("k8s/overlays/with-postgres");
        Assert.Equal(["../../base"], overlay.Resources);
        Assert.Equal(["../../components/postgres"], overlay.Components);
        Assert.All(Catalog.Kustomizations.Where(k => k != component), k => Assert.False(k.IsComponent, $"{Name(k)} should be a Kustomization"));
    }

    [Fact]
    public void EveryContainerImageOfTheBaseIsMappedToARegistryByTheBase()
    {
        var images = Kustomization(ManifestCatalog.BaseFolder).Images;
        var used = Catalog.Workloads.Where(w => ManifestCatalog.IsUnder(w.Manifest.File, ManifestCatalog.BaseFolder))
            .SelectMany(w => w.Pod.Containers.Select(c => c.Image))
            .ToHashSet();

        Assert.Equal(used.Order(), images.Select(i => i.Name).Order());
        Assert.All(images, i => Assert.False(string.IsNullOrWhiteSpace(i.NewName) || (string.IsNullOrWhiteSpace(i.NewTag) && string.IsNullOrWhiteSpace(i.Digest)), $"image {i.Name} needs newName and newTag (or digest)"));
    }

    private static Kustomization Kustomization(string relativeFolder) =>
        Catalog.Kustomizations.SingleOrDefault(k => RepositoryRoot.Relative(k.Directory) == relativeFolder)
        ?? throw new Xunit.Sdk.XunitException($"{relativeFolder}/kustomization.yaml is missing");

    private static string Name(Kustomization kustomization) => RepositoryRoot.Relative(Path.Combine(kustomization.Directory, "kustomization.yaml"));

    private enum ManifestRole
    {
        Resource,
        Patch,
    }
}
