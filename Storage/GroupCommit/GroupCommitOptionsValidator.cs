using Microsoft.Extensions.Options;

namespace HorizonAI.Storage.GroupCommit;

public sealed class GroupCommitOptionsValidator : IValidateOptions<GroupCommitOptions>
{
    public ValidateOptionsResult Validate(string? name, GroupCommitOptions options)
    {
        var failures = new List<string>();
        if (options.MaxBatch is < 1 or > 10_000)
        {
            failures.Add($"{GroupCommitOptions.MaxBatchVariable} must be a whole number of writes from 1 to 10000");
        }

        if (options.DelayMs is < 0 or > 100)
        {
            failures.Add($"{GroupCommitOptions.DelayVariable} must be a whole number of milliseconds from 0 to 100");
        }

        if (options.Flushes is < 1 or > 16)
        {
            failures.Add($"{GroupCommitOptions.FlushesVariable} must be a whole number from 1 to 16");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
