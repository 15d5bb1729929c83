using System.ComponentModel.DataAnnotations;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary>
/// A setting that must be an absolute http(s) URL (an unset one passes). <see cref="UrlAttribute"/> checks only how the
/// text begins and lets ftp through; see <see cref="SettingRangeAttribute"/> for the message.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingHttpUrlAttribute : ValidationAttribute
{
    public override bool IsValid(object? value) =>
        value is null || (Uri.TryCreate(value as string, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps));

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        IsValid(value) ? ValidationResult.Success : new ValidationResult(ErrorMessageString);
}
