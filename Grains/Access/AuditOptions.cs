using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.Grains.Access;

/// <summary>How long the audit log keeps its entries (<c>AUDIT_RETENTION_DAYS</c>, default 365).</summary>
public sealed class AuditOptions
{
    public const string RetentionVariable = "AUDIT_RETENTION_DAYS";

    public int RetentionDays { get; set; } = 365;

    public static AuditOptions From(IConfiguration configuration) => new()
    {
        RetentionDays = configuration.Integer(RetentionVariable, 365),
    };
}

public sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options) =>
        options.RetentionDays is >= 1 and <= 3650
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{AuditOptions.RetentionVariable} must be a whole number of days from 1 to 3650");
}
