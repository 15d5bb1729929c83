using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HorizonAI.ServiceDefaults.Hosting;

public static class SettingsExtensions
{
    /// <summary>
    /// Registers settings read from the SPEC's variable names, validated when the host starts so that a bad value stops
    /// start-up with a message that names the variable.
    /// </summary>
    public static IServiceCollection AddSettings<T>(this IServiceCollection services, Func<IConfiguration, T> read, IValidateOptions<T> validator)
        where T : class
    {
        services.AddSingleton(validator);
        services.AddOptions<T>()
            .Configure<IConfiguration>((options, configuration) => CopyInto(read(configuration), options))
            .ValidateOnStart();
        return services;
    }

    private static void CopyInto<T>(T source, T target)
    {
        foreach (var property in typeof(T).GetProperties().Where(p => p.CanRead && p.CanWrite))
        {
            property.SetValue(target, property.GetValue(source));
        }
    }
}
