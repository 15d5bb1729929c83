using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.Grains.Knowledge;

/// <summary>How the upstream index of the bots' knowledge works through what is due (<c>KNOWLEDGE_SWEEP_SECONDS</c>, <c>KNOWLEDGE_MAX_ATTEMPTS</c>).</summary>
public sealed class KnowledgeIndexOptions
{
    public const string SweepVariable = "KNOWLEDGE_SWEEP_SECONDS";
    public const string MaxAttemptsVariable = "KNOWLEDGE_MAX_ATTEMPTS";

    /// <summary>How often each silo looks for documents whose work is due and no activation is doing (after a crash).</summary>
    [SettingRange(1, 3600, ErrorMessage = SweepVariable + " must be a whole number of seconds from 1 to 3600")]
    public int SweepSeconds { get; set; } = 30;

    /// <summary>Transient failures (timeouts, 429, 5xx) a document's upload or removal survives before it fails.</summary>
    [SettingRange(1, 50, ErrorMessage = MaxAttemptsVariable + " must be a whole number from 1 to 50")]
    public int MaxAttempts { get; set; } = 8;

    public static KnowledgeIndexOptions From(IConfiguration configuration) => new()
    {
        SweepSeconds = configuration.Integer(SweepVariable, 30),
        MaxAttempts = configuration.Integer(MaxAttemptsVariable, 8),
    };
}

[OptionsValidator]
public sealed partial class KnowledgeIndexOptionsValidator : IValidateOptions<KnowledgeIndexOptions>;
