using Microsoft.Extensions.Options;

namespace HorizonAI.Grains.Media;

public sealed class MediaOptionsValidator : IValidateOptions<MediaOptions>
{
    public ValidateOptionsResult Validate(string? name, MediaOptions options)
    {
        var failures = new List<string>();
        foreach (var (variable, value) in new[]
        {
            (MediaOptions.MaxAudioVariable, options.MaxAudioBytes),
            (MediaOptions.MaxImageVariable, options.MaxImageBytes),
            (MediaOptions.MaxDocumentVariable, options.MaxDocumentBytes),
            (MediaOptions.MaxMessageVariable, options.MaxMessageBytes),
        })
        {
            if (value < 1)
            {
                failures.Add($"{variable} must be a whole number of bytes, 1 or more");
            }
        }

        if (options.UnreadableMessage.Length > 1600)
        {
            failures.Add($"{MediaOptions.UnreadableMessageVariable} must be at most 1600 characters (one WhatsApp message)");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
