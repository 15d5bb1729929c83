using HorizonAI.Deployment.Tests.Infrastructure;

namespace HorizonAI.Deployment.Tests.Systemd;

public sealed class SystemdUnitTests
{
    private const string EnvironmentFile = "/etc/horizonai/horizonai.env";

    /// <summary>(unit file, project, install folder under /opt/horizonai).</summary>
    public static TheoryData<string, string, string> Units => new()
    {
        { "deploy/systemd/horizonai-silo.service", "Silo", "silo" },
        { "deploy/systemd/horizonai-whatsapp-bot.service", "Gateway", "gateway" },
    };

    [Theory]
    [MemberData(nameof(Units))]
    public void TheUnitRunsThePublishedAssemblyFromItsFolder(string file, string project, string folder)
    {
        var unit = SystemdUnit.Read(file);
        var assembly = ProductSource.AssemblyName($"{project}/{project}.csproj");

        Assert.Equal($"/usr/bin/dotnet /opt/horizonai/{folder}/{assembly}.dll", unit.Service("ExecStart"));
        Assert.Equal($"/opt/horizonai/{folder}", unit.Service("WorkingDirectory"));
        Assert.Equal(EnvironmentFile, unit.Service("EnvironmentFile"));
        Assert.Equal("multi-user.target", unit.Value("Install", "WantedBy"));
    }

    [Theory]
    [InlineData("deploy/systemd/horizonai-silo.service", "Silo")]
    [InlineData("deploy/systemd/horizonai-whatsapp-bot.service", "Gateway")]
    public void TheUnitStopsGracefullyAndRestartsAfterAFailure(string file, string project)
    {
        var unit = SystemdUnit.Read(file);
        var stop = int.Parse(unit.Service("TimeoutStopSec"), System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal("SIGTERM", unit.Service("KillSignal"));
        Assert.True(stop > 45, $"{file}: TimeoutStopSec={stop} does not cover the silo's 45 s handover");
        Assert.True(stop > ProductSource.ShutdownTimeout(project).TotalSeconds, $"{file}: TimeoutStopSec={stop} is shorter than {project}'s own shutdown timeout");
        Assert.Equal("on-failure", unit.Service("Restart"));
        Assert.NotNull(unit.Value("Service", "RestartSec"));
    }

    [Theory]
    [InlineData("deploy/systemd/horizonai-silo.service")]
    [InlineData("deploy/systemd/horizonai-whatsapp-bot.service")]
    public void TheUnitRunsSandboxedAsADedicatedUser(string file)
    {
        var unit = SystemdUnit.Read(file);

        Assert.Equal("horizonai", unit.Service("User"));
        Assert.Equal("true", unit.Service("NoNewPrivileges"));
        Assert.Equal("strict", unit.Service("ProtectSystem"));
        Assert.Equal("true", unit.Service("ProtectHome"));
        Assert.Equal("true", unit.Service("PrivateTmp"));
        Assert.Equal("", unit.Service("CapabilityBoundingSet"));
        // The .NET JIT maps writable memory as executable; this option would crash the process at start.
        Assert.NotEqual("true", unit.Value("Service", "MemoryDenyWriteExecute"));
    }

    [Fact]
    public void TheTwoUnitsListenOnDistinctLoopbackPorts()
    {
        // The shared environment file overrides Environment=, so the ports live in the units, never in the file.
        var silo = Urls("deploy/systemd/horizonai-silo.service");
        var gateway = Urls("deploy/systemd/horizonai-whatsapp-bot.service");

        Assert.Equal("http://127.0.0.1:8081", silo);
        Assert.Equal("http://127.0.0.1:8080", gateway);
        Assert.Contains("proxy_pass http://horizonai_gateway;", RepositoryRoot.ReadText("deploy/nginx/horizonai-whatsapp.conf"), StringComparison.Ordinal);
        Assert.Contains("server 127.0.0.1:8080;", RepositoryRoot.ReadText("deploy/nginx/horizonai-whatsapp.conf"), StringComparison.Ordinal);
    }

    [Fact]
    public void TheMigrateHelperRunsTheSiloWithTheServicesEnvironment()
    {
        var helper = RepositoryRoot.ReadText("deploy/bin/horizonai-silo");

        Assert.Contains($"EnvironmentFile={EnvironmentFile}", helper, StringComparison.Ordinal);
        Assert.Contains("/usr/bin/dotnet /opt/horizonai/silo/HorizonAI.Silo.dll \"$@\"", helper, StringComparison.Ordinal);
    }

    private static string? Urls(string file) =>
        SystemdUnit.Read(file).All("Service", "Environment").Select(e => e.Split('=', 2)).Where(p => p[0] == "ASPNETCORE_URLS").Select(p => p[1]).SingleOrDefault();
}
