using HorizonAI.Deployment.Tests.Infrastructure;
using k8s.Models;

namespace HorizonAI.Deployment.Tests.Kubernetes;

public sealed class MigrateJobTests
{
    private static ManifestCatalog Catalog => ManifestCatalog.Current;

    [Fact]
    public void TheJobRunsTheSiloImageWithTheMigrateArgument()
    {
        var job = Catalog.Workload("Job", AppContainers.MigrateJob);
        var migrate = Assert.Single(job.Pod.Containers);
        var silo = Catalog.Workload("Deployment", AppContainers.SiloDeployment).Container("silo");

        Assert.Equal(silo.Image, migrate.Image);
        Assert.Equal(["migrate"], migrate.Args);
        // The image's entrypoint (dotnet HorizonAI.Silo.dll) must stay in place for the argument to reach the silo.
        Assert.True(migrate.Command is null || migrate.Command.Count == 0, "the Job overrides the image's entrypoint");
    }

    [Fact]
    public void TheSiloTreatsMigrateAsApplyTheSchemaAndExit()
    {
        Assert.True(ProductSource.Mentions("Silo", "args[0] == \"migrate\""), "the Silo does not recognise the migrate command");
    }

    [Fact]
    public void AFailedMigrationIsRetriedABoundedNumberOfTimesAndTheJobCleansUp()
    {
        var job = Catalog.Single<V1Job>(AppContainers.MigrateJob);

        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        Assert.InRange(job.Spec.BackoffLimit ?? 6, 1, 10);
        Assert.NotNull(job.Spec.ActiveDeadlineSeconds);
        // A Job's template is immutable: without a TTL the next apply with a new image tag would be refused.
        Assert.NotNull(job.Spec.TtlSecondsAfterFinished);
        Assert.False(job.Spec.Template.Spec.AutomountServiceAccountToken ?? true, "the migration needs no Kubernetes API token");
    }
}
