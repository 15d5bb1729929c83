using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.Grains.Access;

/// <summary>How long the audit log keeps its entries (<c>AUDIT_RETENTION_DAYS</c>, default 365).</summary>
public sealed class AuditOptions
{
    public const string RetentionVariable = "AUDIT_RETENTION_DAYS";

    [SettingRange(1, 3650, ErrorMessage = RetentionVariable + " must be a whole number of days from 1 to 3650")]
    public int RetentionDays { get; set; } = 365;

    public static AuditOptions From(IConfiguration configuration) => new()
    {
        RetentionDays = configuration.Integer(RetentionVariable, 365),
    };
}

[OptionsValidator]
public sealed partial class AuditOptionsValidator : IValidateOptions<AuditOptions>;
