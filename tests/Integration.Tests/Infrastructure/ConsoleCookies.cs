using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>
/// The console's session cookie handled by hand, as a browser would carry it, so that one cookie can be presented to
/// several Gateways (or again after it was signed out).
/// </summary>
public static class ConsoleCookies
{
    public const string Name = "horizonai_admin";

    /// <summary>A test client that keeps no cookies of its own, so that each request carries only the one given.</summary>
    public static WebApplicationFactoryClientOptions ByHand => new() { HandleCookies = false };

    /// <summary>Signs in with <paramref name="key"/> and answers the session cookie's value.</summary>
    public static async Task<string> SignInAsync(HttpClient gateway, string key)
    {
        using var response = await gateway.PostAsync("/console/session", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = key }));
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw new InvalidOperationException($"Signing in answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var header = response.Headers.GetValues("Set-Cookie").Single(h => h.StartsWith(Name + "=", StringComparison.Ordinal));
        return header[(Name.Length + 1)..header.IndexOf(';', StringComparison.Ordinal)];
    }

    /// <summary>A request carrying the session cookie (and no other credentials); answers its status.</summary>
    public static async Task<HttpStatusCode> SendAsync(HttpClient gateway, HttpMethod method, string path, string cookie)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", $"{Name}={cookie}");
        using var response = await gateway.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>The session id the cookie names (what sign-out revokes).</summary>
    public static string SessionId(string cookie) => cookie.Split('.')[1];
}
