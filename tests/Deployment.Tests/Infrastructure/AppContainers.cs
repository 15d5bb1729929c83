namespace HorizonAI.Deployment.Tests.Infrastructure;

/// <summary>The product's containers in the manifests and what each needs to start (SPEC §2, the apps' validators).</summary>
public static class AppContainers
{
    public const string SiloDeployment = "horizonai-silo";
    public const string GatewayDeployment = "horizonai-gateway";
    public const string MigrateJob = "horizonai-migrate";

    /// <summary>(kind, workload, container, variables the process refuses to start without).</summary>
    public static TheoryData<string, string, string, string[]> RequiredVariables => new()
    {
        { "Deployment", SiloDeployment, "silo", ["DATABASE_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "OPENAI_API_KEY"] },
        { "Deployment", GatewayDeployment, "gateway", ["DATABASE_URL", "TWILIO_AUTH_TOKEN", "ADMIN_API_KEY"] },
        { "Job", MigrateJob, "migrate", ["DATABASE_URL"] },
    };

    /// <summary>The two long-running apps: (workload, container, their own HTTP port's default).</summary>
    public static TheoryData<string, string, int> HttpApps => new()
    {
        { SiloDeployment, "silo", 8081 },
        { GatewayDeployment, "gateway", 8080 },
    };
}
