using HorizonAI.Gateway.Access.Authentication;
using HorizonAI.Gateway.Hosting;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace HorizonAI.Gateway.Console;

/// <summary>
/// Serves the console's page, stylesheet and JavaScript modules (<c>wwwroot/console</c>, the modules under <c>js/</c>)
/// at <c>/console/</c>. They are plain files copied beside the binaries, so no build step, CDN or working directory is
/// involved; the content security policy keeps the page to this origin (module scripts included: <c>script-src 'self'</c>).
/// </summary>
public static partial class ConsoleFiles
{
    public const string RequestPath = "/console";

    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>Serves the console while the admin API is served (the page is useless without it).</summary>
    public static WebApplication UseConsoleFiles(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<AdminKey>().Enabled)
        {
            return app;
        }

        // Beside the binaries rather than under the content root, which is the working directory.
        var root = Path.Combine(AppContext.BaseDirectory, "wwwroot", "console");
        if (!Directory.Exists(root))
        {
            LogMissingFiles(app.Logger, root);
            return app;
        }

        app.UseFileServer(new FileServerOptions
        {
            RequestPath = RequestPath,
            FileProvider = new PhysicalFileProvider(root),
            EnableDirectoryBrowsing = false,
            StaticFileOptions =
            {
                ContentTypeProvider = ContentTypes(),
                OnPrepareResponse = file =>
                {
                    var headers = file.Context.Response.Headers;
                    headers.ContentSecurityPolicy = ContentSecurityPolicy;
                    headers.XContentTypeOptions = "nosniff";
                    headers["Referrer-Policy"] = "no-referrer";

                    // Revalidated on every load, so an upgraded Gateway never runs with an old script.
                    headers.CacheControl = "no-cache";
                },
            },
        });
        return app;
    }

    /// <summary>
    /// The framework's table, with the modules' type said here: a browser runs a module script only if it is served as
    /// JavaScript, and nosniff forbids guessing.
    /// </summary>
    private static FileExtensionContentTypeProvider ContentTypes()
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".js"] = "text/javascript";
        return types;
    }

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "The console's files are missing ({Path}); /console/ is not served. Rebuild or republish the Gateway.")]
    private static partial void LogMissingFiles(ILogger logger, string path);
}
