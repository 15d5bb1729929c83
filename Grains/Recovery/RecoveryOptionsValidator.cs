using Microsoft.Extensions.Options;

namespace HorizonAI.Grains.Recovery;

public sealed class RecoveryOptionsValidator : IValidateOptions<RecoveryOptions>
{
    public ValidateOptionsResult Validate(string? name, RecoveryOptions options)
    {
        var failures = new List<string>();
        if (options.SweepSeconds is < 1 or > 300)
        {
            failures.Add($"{RecoveryOptions.SweepVariable} must be a whole number of seconds from 1 to 300");
        }

        if (options.MinAgeSeconds is < 1 or > 600)
        {
            failures.Add($"{RecoveryOptions.MinAgeVariable} must be a whole number of seconds from 1 to 600");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
