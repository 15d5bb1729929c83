using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary>Orleans cluster identity and ports (SPEC §2).</summary>
public sealed class ClusterSettings
{
    public string ClusterId { get; set; } = "horizonai";

    public string ServiceId { get; set; } = "horizonai-whatsapp";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public static ClusterSettings From(IConfiguration configuration) => new()
    {
        ClusterId = configuration.Text("ORLEANS_CLUSTER_ID") ?? "horizonai",
        ServiceId = configuration.Text("ORLEANS_SERVICE_ID") ?? "horizonai-whatsapp",
        SiloPort = configuration.Integer("ORLEANS_SILO_PORT", 11111),
        GatewayPort = configuration.Integer("ORLEANS_GATEWAY_PORT", 30000),
    };
}

public sealed class ClusterSettingsValidator : IValidateOptions<ClusterSettings>
{
    public ValidateOptionsResult Validate(string? name, ClusterSettings options)
    {
        var failures = new List<string>();
        if (options.SiloPort is < 1 or > 65535)
        {
            failures.Add("ORLEANS_SILO_PORT must be a TCP port number between 1 and 65535");
        }

        if (options.GatewayPort is < 1 or > 65535)
        {
            failures.Add("ORLEANS_GATEWAY_PORT must be a TCP port number between 1 and 65535");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
