using System.Text.Json;
using HorizonAI.Deployment.Tests.Infrastructure;

namespace HorizonAI.Deployment.Tests.Containers;

/// <summary>
/// No container engine runs where these tests run, so the images are never built here; these checks hold the
/// Dockerfiles to the projects they build and the manifests that run them.
/// </summary>
public sealed class DockerfileTests
{
    public static TheoryData<string> Projects => ["Silo", "Gateway"];

    public static TheoryData<string, string> ProjectDeployments => new()
    {
        { "Silo", AppContainers.SiloDeployment },
        { "Gateway", AppContainers.GatewayDeployment },
    };

    [Theory]
    [MemberData(nameof(Projects))]
    public void TheImageIsBuiltWithTheSdkAndRunsOnTheAspNetRuntime(string project)
    {
        var froms = Dockerfile.Read($"{project}/Dockerfile").All("FROM").ToList();

        Assert.True(froms.Count >= 2, $"{project}/Dockerfile is not a multi-stage build");
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", froms[0], StringComparison.Ordinal);
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/aspnet:10\.0(-noble-chiseled)?( |$)", froms[^1]);
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void TheEntrypointRunsTheProjectsAssembly(string project)
    {
        var assembly = ProductSource.AssemblyName($"{project}/{project}.csproj");
        var entrypoint = JsonSerializer.Deserialize<string[]>(Dockerfile.Read($"{project}/Dockerfile").FinalStage.Single(i => i.Instruction == "ENTRYPOINT").Arguments);

        Assert.Equal(["dotnet", $"{assembly}.dll"], entrypoint ?? []);
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void TheImageRunsAsANonRootUser(string project)
    {
        var user = Dockerfile.Read($"{project}/Dockerfile").FinalStage.Where(i => i.Instruction == "USER").Select(i => i.Arguments).LastOrDefault();

        Assert.True(user is "$APP_UID" or "${APP_UID}" || (int.TryParse(user, out var uid) && uid > 0), $"{project}/Dockerfile runs as '{user ?? "root"}'");
    }

    [Theory]
    [MemberData(nameof(ProjectDeployments))]
    public void TheImageExposesExactlyThePortsItsPodsDeclare(string project, string deployment)
    {
        var exposed = Dockerfile.Read($"{project}/Dockerfile").All("EXPOSE")
            .SelectMany(e => e.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(p => int.Parse(p.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture))
            .Order();
        var declared = ManifestCatalog.Current.Workload("Deployment", deployment).Pod.Containers.Single().Ports.Select(p => p.ContainerPort).Order();

        Assert.Equal(declared, exposed);
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void TheBuildCopiesTheSharedSettingsAndEveryReferencedProject(string project)
    {
        var copies = Dockerfile.Read($"{project}/Dockerfile").All("COPY").Where(c => !c.StartsWith("--from", StringComparison.Ordinal)).ToList();
        var sources = copies.SelectMany(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1]).ToHashSet();

        Assert.Contains("Directory.Build.props", sources);
        Assert.Contains("Directory.Packages.props", sources);
        foreach (var folder in ProductSource.ProjectClosure($"{project}/{project}.csproj"))
        {
            Assert.True(sources.Contains($"{folder}/"), $"{project}/Dockerfile does not copy {folder}/, which {project} references");
        }

    }

    [Fact]
    public void TheBuildContextLeavesOutBuildOutputAndLocalSecrets()
    {
        var ignored = RepositoryRoot.ReadText(".dockerignore").Split('\n').Select(l => l.Trim()).ToHashSet();

        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains("**/.env", ignored);
        Assert.Contains(".git/", ignored);
        Assert.Contains(".data/", ignored);
        // The sources the images need must stay in the context.
        Assert.DoesNotContain(ignored, l => l is "Silo/" or "Gateway/" or "Grains/" or "Grains.Interfaces/" or "ServiceDefaults/" or "*.props");
    }
}
