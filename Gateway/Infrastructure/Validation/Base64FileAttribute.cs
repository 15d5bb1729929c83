using System.ComponentModel.DataAnnotations;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>
/// A file in base64 (the message) of at most <see cref="MaxBytes"/> bytes once decoded (a message of its own). Null
/// passes (pair it with <c>[Required]</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class Base64FileAttribute(int maxBytes) : ValidationAttribute("{0} must be the file in base64")
{
    public int MaxBytes { get; } = maxBytes;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is null)
        {
            return ValidationResult.Success;
        }

        byte[] file;
        try
        {
            file = Convert.FromBase64String(value as string ?? "");
        }
        catch (FormatException)
        {
            return new ValidationResult(FormatErrorMessage(validationContext.DisplayName));
        }

        return file.Length > MaxBytes ? new ValidationResult($"the file must be at most {MaxBytes / (1024 * 1024)} MB") : ValidationResult.Success;
    }
}
