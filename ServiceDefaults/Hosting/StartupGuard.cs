using Microsoft.Extensions.Options;

namespace HorizonAI.ServiceDefaults.Hosting;

/// <summary>Turns configuration failures into one readable line and exit code 2 instead of a stack trace.</summary>
public static class StartupGuard
{
    public static async Task<int> RunAsync(Func<Task> run)
    {
        try
        {
            await run();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("Configuration error: " + string.Join("; ", ex.Failures));
            return 2;
        }
        catch (ConfigurationException ex)
        {
            await Console.Error.WriteLineAsync("Configuration error: " + ex.Message);
            return 2;
        }
        catch (AggregateException ex) when (ex.Flatten().InnerExceptions.All(e => e is OptionsValidationException))
        {
            // Settings validated by several components at once (e.g. each HTTP pipeline that reads them) fail together.
            var failures = ex.Flatten().InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).Distinct();
            await Console.Error.WriteLineAsync("Configuration error: " + string.Join("; ", failures));
            return 2;
        }
    }
}
