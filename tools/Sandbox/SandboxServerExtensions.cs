using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace HorizonAI.Sandbox;

/// <summary>Helpers for a sandbox built by <see cref="SandboxServer.Build"/>.</summary>
public static class SandboxServerExtensions
{
    /// <summary>
    /// The address the started sandbox actually listens on, e.g. <c>http://127.0.0.1:41234</c> (no trailing
    /// slash): with port 0 only the server knows the port, after <c>StartAsync</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The app has not been started.</exception>
    public static string BaseUrl(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var address = addresses?.FirstOrDefault(candidate => !candidate.EndsWith(":0", StringComparison.Ordinal));
        return address?.TrimEnd('/')
            ?? throw new InvalidOperationException("The sandbox is not listening yet: call StartAsync before BaseUrl.");
    }
}
