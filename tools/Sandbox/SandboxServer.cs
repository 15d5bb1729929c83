using HorizonAI.Sandbox.Business;
using HorizonAI.Sandbox.Control;
using HorizonAI.Sandbox.OpenAIApi;
using HorizonAI.Sandbox.TwilioApi;

namespace HorizonAI.Sandbox;

/// <summary>
/// Builds the sandbox: a local stand-in for the Twilio REST API and the OpenAI API that the real SDKs can talk
/// to, recording everything into <see cref="SandboxState"/> and misbehaving on demand.
/// </summary>
public static class SandboxServer
{
    public const string DefaultUrl = "http://127.0.0.1:8090";

    /// <summary>
    /// Builds the app with every route mapped, listening on <paramref name="url"/> (port 0: a free port, see
    /// <see cref="SandboxServerExtensions.BaseUrl"/> after start). <see cref="SandboxState"/> is a DI singleton.
    /// Configuration (command line or environment): <c>SANDBOX_STATUS_CALLBACKS=true</c> turns status callbacks on.
    /// </summary>
    public static WebApplication Build(string[]? args = null, string url = "http://127.0.0.1:0")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args ?? [],

            // Tests build this from their own assembly: keep the sandbox's identity and content root stable.
            ApplicationName = typeof(SandboxServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls(url);

        // The sandbox logs one line at start; per-request framework logs would drown a test's output.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        builder.Logging.AddFilter("ModelContextProtocol", LogLevel.Warning);

        builder.Services.AddProblemDetails();
        // No auth token from configuration: callbacks are signed with the caller's own basic-auth password, which
        // is the token the app validates with, and a stray TWILIO_AUTH_TOKEN in a test process cannot interfere.
        builder.Services.AddSingleton(_ => new SandboxState(TimeProvider.System)
        {
            SendStatusCallbacks = builder.Configuration.GetValue("SANDBOX_STATUS_CALLBACKS", false),
        });
        builder.Services.AddSingleton<StatusCallbackSender>();
        builder.Services.AddPharmacyMcp();

        // Twilio gives a status callback receiver 15 seconds.
        builder.Services.AddHttpClient(StatusCallbackSender.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(15));

        var app = builder.Build();
        app.MapSandboxControl();
        app.MapTwilio();
        app.MapTwilioMedia();
        app.MapOpenAI();
        app.MapSandboxBusiness();
        return app;
    }
}
