using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary>How the platform calls the businesses' tools (SPEC §10), the same for every bot.</summary>
public sealed class ToolOptions
{
    public const string PrivateHostsVariable = "TOOL_PRIVATE_HOSTS";
    public const string MaxCallsVariable = "MAX_TOOL_CALLS_PER_TURN";
    public const string TurnBudgetVariable = "TOOL_TURN_BUDGET_SECONDS";
    public const string MaxOutputVariable = "TOOL_MAX_OUTPUT_BYTES";

    /// <summary>
    /// The agency's own hosts (names or IP addresses): tool, MCP and handoff-webhook URLs there are allowed whatever
    /// they resolve to, over plain http too. Everything else must be https to a public address.
    /// </summary>
    public IReadOnlyList<string> PrivateHosts { get; set; } = [];

    /// <summary>Calls of the business's tools in one turn; then the model is asked to answer without tools.</summary>
    [SettingRange(1, 64, ErrorMessage = MaxCallsVariable + " must be a whole number from 1 to 64")]
    public int MaxCallsPerTurn { get; set; } = 8;

    /// <summary>Seconds of tool time in one turn; then the model is asked to answer without tools.</summary>
    [SettingRange(1, 600, ErrorMessage = TurnBudgetVariable + " must be a whole number of seconds from 1 to 600")]
    public int TurnBudgetSeconds { get; set; } = 45;

    /// <summary>The largest answer of a tool the model is given; a larger one is an error.</summary>
    [SettingRange(256, 1024 * 1024, ErrorMessage = MaxOutputVariable + " must be a whole number of bytes from 256 to 1048576")]
    public int MaxOutputBytes { get; set; } = 16 * 1024;

    public static ToolOptions From(IConfiguration configuration) => new()
    {
        PrivateHosts = (configuration.Text(PrivateHostsVariable) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(h => h.ToLowerInvariant())
            .ToArray(),
        MaxCallsPerTurn = configuration.Integer(MaxCallsVariable, 8),
        TurnBudgetSeconds = configuration.Integer(TurnBudgetVariable, 45),
        MaxOutputBytes = configuration.Integer(MaxOutputVariable, 16 * 1024),
    };
}

[OptionsValidator]
public sealed partial class ToolOptionsValidator : IValidateOptions<ToolOptions>;
