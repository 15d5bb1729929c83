using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HorizonAI.ServiceDefaults.Outbound;

public static class OutboundUrlGuardExtensions
{
    /// <summary>
    /// The tool settings (<c>TOOL_PRIVATE_HOSTS</c>, <c>MAX_TOOL_CALLS_PER_TURN</c>…, validated at start) and the
    /// <see cref="OutboundUrlGuard"/> every request to a business's own endpoint goes through. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddOutboundUrlGuard(this IServiceCollection services)
    {
        if (services.Any(s => s.ServiceType == typeof(OutboundUrlGuard)))
        {
            return services;
        }

        services.AddSettings(ToolOptions.From, new ToolOptionsValidator());
        services.TryAddSingleton<OutboundUrlGuard>();
        return services;
    }
}
