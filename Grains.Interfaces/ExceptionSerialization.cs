using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace HorizonAI.Grains.Interfaces;

/// <summary>What silos and clients both configure so that grain failures reach callers intact.</summary>
public static class ExceptionSerialization
{
    /// <summary>
    /// Orleans carries only exceptions from the Microsoft, System and Azure namespaces by default; any other turns
    /// into a "could not find a codec" error that hides the cause. A database error (the database restarting,
    /// unreachable) must reach the Gateway as itself, so that it logs why a webhook was not stored yet.
    /// </summary>
    public static IServiceCollection AddHorizonExceptionSerialization(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(options => options.SupportedNamespacePrefixes.Add("Npgsql"));
}
