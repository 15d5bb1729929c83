using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary>Orleans cluster identity and ports (SPEC §2).</summary>
public sealed class ClusterSettings
{
    public const string SiloPortVariable = "ORLEANS_SILO_PORT";
    public const string GatewayPortVariable = "ORLEANS_GATEWAY_PORT";

    public string ClusterId { get; set; } = "horizonai";

    public string ServiceId { get; set; } = "horizonai-whatsapp";

    [SettingRange(1, 65535, ErrorMessage = SiloPortVariable + " must be a TCP port number between 1 and 65535")]
    public int SiloPort { get; set; } = 11111;

    [SettingRange(1, 65535, ErrorMessage = GatewayPortVariable + " must be a TCP port number between 1 and 65535")]
    public int GatewayPort { get; set; } = 30000;

    public static ClusterSettings From(IConfiguration configuration) => new()
    {
        ClusterId = configuration.Text("ORLEANS_CLUSTER_ID") ?? "horizonai",
        ServiceId = configuration.Text("ORLEANS_SERVICE_ID") ?? "horizonai-whatsapp",
        SiloPort = configuration.Integer(SiloPortVariable, 11111),
        GatewayPort = configuration.Integer(GatewayPortVariable, 30000),
    };
}

[OptionsValidator]
public sealed partial class ClusterSettingsValidator : IValidateOptions<ClusterSettings>;
