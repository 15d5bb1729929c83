using System.Threading.RateLimiting;
using HorizonAI.Gateway.Access.Authentication;
using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Hosting;

/// <summary>Limits for the admin surface: requests per client per minute, and failed sign-ins before a client is shut out.</summary>
public sealed class AdminProtectionOptions
{
    public const string RateLimitPolicy = "admin";
    public const string RequestsVariable = "ADMIN_RATE_LIMIT_PER_MINUTE";
    public const string AuthFailuresVariable = "ADMIN_AUTH_FAILURES_PER_MINUTE";
    public const string RequestsPerKeyVariable = "API_KEY_RATE_LIMIT_PER_MINUTE";

    [SettingRange(1, int.MaxValue, ErrorMessage = RequestsVariable + " must be a whole number of requests, 1 or more")]
    public int RequestsPerMinute { get; set; } = 600;

    [SettingRange(1, int.MaxValue, ErrorMessage = AuthFailuresVariable + " must be a whole number of attempts, 1 or more")]
    public int AuthFailuresPerMinute { get; set; } = 10;

    /// <summary>Requests per minute of any one scoped key.</summary>
    [SettingRange(1, int.MaxValue, ErrorMessage = RequestsPerKeyVariable + " must be a whole number of requests, 1 or more")]
    public int RequestsPerKeyPerMinute { get; set; } = 300;

    public static AdminProtectionOptions From(IConfiguration configuration) => new()
    {
        RequestsPerMinute = configuration.Integer(RequestsVariable, 600),
        AuthFailuresPerMinute = configuration.Integer(AuthFailuresVariable, 10),
        RequestsPerKeyPerMinute = configuration.Integer(RequestsPerKeyVariable, 300),
    };
}

[OptionsValidator]
public sealed partial class AdminProtectionOptionsValidator : IValidateOptions<AdminProtectionOptions>;

public static class AdminProtectionExtensions
{
    public static IServiceCollection AddAdminProtection(this IServiceCollection services)
    {
        services.AddSingleton<AuthFailureThrottle>();
        services.AddSingleton<HorizonAI.Gateway.Access.ApiKeyRateLimiter>();
        services.AddSingleton<HorizonAI.Gateway.Access.AuditTrail>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(AdminProtectionOptions.RateLimitPolicy, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<AdminProtectionOptions>>().Value.RequestsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(AuthFailureThrottle.ClientOf(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
        });
        return services;
    }
}
