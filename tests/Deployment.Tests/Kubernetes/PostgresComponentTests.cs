using System.Data.Common;
using HorizonAI.Deployment.Tests.Infrastructure;
using k8s.Models;

namespace HorizonAI.Deployment.Tests.Kubernetes;

public sealed class PostgresComponentTests
{
    private static ManifestCatalog Catalog => ManifestCatalog.Current;

    private static IEnumerable<Manifest> ComponentPatches => Catalog.Patches.Where(p => ManifestCatalog.IsUnder(p.File, ManifestCatalog.PostgresComponentFolder));

    [Fact]
    public void EveryPatchTargetsAContainerOfTheBase()
    {
        Assert.NotEmpty(ComponentPatches);
        foreach (var patch in ComponentPatches)
        {
            var target = Catalog.InBase.Select(PodWorkload.From).OfType<PodWorkload>()
                .SingleOrDefault(w => w.Kind == patch.Kind && w.Name == patch.Name && w.Manifest.Namespace == patch.Namespace);
            Assert.True(target is not null, $"{patch} patches nothing: the base has no {patch.Kind} {patch.Name} in namespace {patch.Namespace}");

            var patched = PodWorkload.From(patch)!;
            Assert.All(patched.Pod.Containers, c => Assert.Contains(target.Pod.Containers, t => t.Name == c.Name));
        }
    }

    [Fact]
    public void EveryDatabaseUrlOfTheBaseIsRepointedAtTheInClusterDatabase()
    {
        // With the component, no pod may keep talking to the external database named in horizonai-secrets.
        var consumers = Catalog.InBase.Select(PodWorkload.From).OfType<PodWorkload>()
            .SelectMany(w => w.Pod.Containers.Where(c => ContainerEnvironment.Of(w, c, Catalog).Variables.ContainsKey("DATABASE_URL")).Select(c => (w, c)))
            .ToList();
        Assert.Equal(3, consumers.Count);

        foreach (var (workload, container) in consumers)
        {
            var patch = ComponentPatches.Select(PodWorkload.From).OfType<PodWorkload>().SingleOrDefault(p => p.Kind == workload.Kind && p.Name == workload.Name);
            Assert.True(patch is not null, $"the postgres component does not patch {workload}");
            var variable = patch.Container(container.Name).Env?.SingleOrDefault(e => e.Name == "DATABASE_URL");
            var reference = variable?.ValueFrom?.SecretKeyRef;
            Assert.True(reference is not null, $"the postgres component does not set DATABASE_URL of {workload} container {container.Name}");
            Assert.Equal("horizonai-postgres", reference.Name);

            // A strategic merge of an env entry merges its maps: the base entry must also be a secretKeyRef, or the
            // merged entry would carry both `value` and `valueFrom` and the API server would reject it.
            var original = container.Env.Single(e => e.Name == "DATABASE_URL");
            Assert.True(original.Value is null && original.ValueFrom?.SecretKeyRef is not null, $"{workload}: DATABASE_URL in the base must be a secretKeyRef for the patch to merge cleanly");
        }
    }

    [Fact]
    public void TheComponentsDatabaseUrlNamesItsOwnServiceDatabaseAndUser()
    {
        var statefulSet = Catalog.Single<V1StatefulSet>("horizonai-postgres");
        var secret = Catalog.Secret("horizonai-postgres", statefulSet.Metadata.NamespaceProperty);
        Assert.NotNull(secret);
        var values = ManifestCatalog.Values(secret);
        var connection = new DbConnectionStringBuilder { ConnectionString = values["DATABASE_URL"] };
        var env = statefulSet.Spec.Template.Spec.Containers.Single().Env.ToDictionary(e => e.Name);

        Assert.Equal(statefulSet.Spec.ServiceName, connection["Host"]);
        Assert.Equal(env["POSTGRES_DB"].Value, connection["Database"]);
        Assert.Equal(env["POSTGRES_USER"].Value, connection["Username"]);
        Assert.Equal("horizonai-postgres", env["POSTGRES_PASSWORD"].ValueFrom.SecretKeyRef.Name);
        Assert.True(values.ContainsKey(env["POSTGRES_PASSWORD"].ValueFrom.SecretKeyRef.Key));
    }

    [Fact]
    public void EveryPodsConnectionPoolFitsTheDatabaseAtFullScale()
    {
        // At the autoscalers' maximum, plus one surge pod per Deployment during a rollout, plus the migrate Job, every
        // pool may be full at once; PostgreSQL refuses connections past max_connections (less 3 kept for superusers).
        var statefulSet = Catalog.Single<V1StatefulSet>("horizonai-postgres");
        var args = statefulSet.Spec.Template.Spec.Containers.Single().Args;
        var maxConnections = int.Parse(args.Single(a => a.StartsWith("max_connections=", StringComparison.Ordinal)).Split('=')[1], System.Globalization.CultureInfo.InvariantCulture);
        var secret = Catalog.Secret("horizonai-postgres", statefulSet.Metadata.NamespaceProperty)!;
        var connection = new DbConnectionStringBuilder { ConnectionString = ManifestCatalog.Values(secret)["DATABASE_URL"] };
        Assert.True(connection.TryGetValue("Maximum Pool Size", out var poolText), "DATABASE_URL leaves the pool at Npgsql's default of 100 per pod");
        var pool = int.Parse((string)poolText, System.Globalization.CultureInfo.InvariantCulture);

        var pods = Catalog.All<V2HorizontalPodAutoscaler>().Sum(h => h.Spec.MaxReplicas + 1) + 1;

        Assert.True(pods * pool <= maxConnections - 3, $"{pods} pods x {pool} connections exceed max_connections={maxConnections}");
    }

    [Fact]
    public void TheDatabaseHasAHeadlessGoverningServiceAndPersistentStorage()
    {
        var statefulSet = Catalog.Single<V1StatefulSet>("horizonai-postgres");
        var service = Catalog.Single<V1Service>(statefulSet.Spec.ServiceName);
        var container = statefulSet.Spec.Template.Spec.Containers.Single();
        var claim = Assert.Single(statefulSet.Spec.VolumeClaimTemplates);

        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.Contains(service.Spec.Ports, p => p.Port == 5432);
        Assert.Contains(container.VolumeMounts, m => m.Name == claim.Metadata.Name && m.MountPath == "/var/lib/postgresql/data");
        Assert.StartsWith("/var/lib/postgresql/data/", container.Env.Single(e => e.Name == "PGDATA").Value, StringComparison.Ordinal);
        Assert.NotNull(container.ReadinessProbe);
    }
}
