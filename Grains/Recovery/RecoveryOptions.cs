using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;

namespace HorizonAI.Grains.Recovery;

/// <summary>How often the recovery sweep looks for open work that no activation holds, and how old it must be.</summary>
public sealed class RecoveryOptions
{
    public const string SweepVariable = "RECOVERY_SWEEP_SECONDS";
    public const string MinAgeVariable = "RECOVERY_MIN_AGE_SECONDS";

    /// <summary>The period of each shard's reminder.</summary>
    [SettingRange(1, 300, ErrorMessage = SweepVariable + " must be a whole number of seconds from 1 to 300")]
    public int SweepSeconds { get; set; } = 10;

    /// <summary>Work unsettled for less than this is left to the activation that is surely on it.</summary>
    [SettingRange(1, 600, ErrorMessage = MinAgeVariable + " must be a whole number of seconds from 1 to 600")]
    public int MinAgeSeconds { get; set; } = 5;

    public static RecoveryOptions From(IConfiguration configuration) => new()
    {
        SweepSeconds = configuration.Integer(SweepVariable, 10),
        MinAgeSeconds = configuration.Integer(MinAgeVariable, 5),
    };
}
