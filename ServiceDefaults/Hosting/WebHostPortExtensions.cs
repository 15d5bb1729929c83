using Microsoft.AspNetCore.Hosting;

namespace HorizonAI.ServiceDefaults.Hosting;

public static class WebHostPortExtensions
{
    /// <summary>
    /// Listens on <c>PORT</c>, or on <paramref name="defaultPort"/> when neither <c>PORT</c>, <c>ASPNETCORE_URLS</c>
    /// nor <c>--urls</c> says otherwise.
    /// </summary>
    public static IWebHostBuilder UseDefaultPort(this IWebHostBuilder webHost, int defaultPort)
    {
        var port = Environment.GetEnvironmentVariable("PORT");
        var urls = webHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        if (!string.IsNullOrWhiteSpace(port))
        {
            if (!int.TryParse(port, out var parsed) || parsed is < 1 or > 65535)
            {
                throw new ConfigurationException("PORT must be a TCP port number between 1 and 65535");
            }

            webHost.UseUrls($"http://+:{parsed}");
        }
        else if (string.IsNullOrWhiteSpace(urls))
        {
            webHost.UseUrls($"http://+:{defaultPort}");
        }

        return webHost;
    }
}
