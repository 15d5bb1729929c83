using System.Net;
using System.Net.Sockets;
using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.ServiceDefaults.Outbound;

/// <summary>
/// Where the platform may send a request that a business configured (a tool, an MCP server, a handoff webhook): https
/// to public addresses only, so that a bot's configuration cannot make the platform reach the agency's own network or
/// the cloud's metadata service; the hosts in <c>TOOL_PRIVATE_HOSTS</c> are the agency's own and allowed whatever they
/// resolve to, over plain http too (SPEC §10). Checked twice: <see cref="Refusal"/> when a URL is configured, for what
/// the URL itself shows, and <see cref="CreateHandler"/>'s connections when it is called, on the address actually
/// connected to, after the handler's own DNS lookup, so that a name that resolves elsewhere later (DNS rebinding) does
/// not pass either.
/// </summary>
public sealed class OutboundUrlGuard(IOptions<ToolOptions> options)
{
    /// <summary>How long a pooled connection lives, so that a changed DNS answer is looked up (and checked) again.</summary>
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);

    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private const string PrivateHostsHint = "if it is the agency's own, list its host in " + ToolOptions.PrivateHostsVariable;

    /// <summary>
    /// Null when <paramref name="url"/> may be configured; else why not, as a sentence a person can act on. What only
    /// DNS can tell (a name that resolves to a private address) is refused when the URL is called.
    /// </summary>
    public string? Refusal(string url)
    {
        // On Unix a path such as /hook parses as an absolute file URI: only what names its scheme is absolute here.
        var text = url?.Trim() ?? "";
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !text.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase))
        {
            return "it is not an absolute URL (such as https://api.example.com/hook)";
        }

        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return $"it must be an https URL, not {uri.Scheme}";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "it must not carry a user name or password; send credentials in headers";
        }

        var host = HostOf(uri);
        if (IsListed(host))
        {
            return null;
        }

        if (uri.Scheme == Uri.UriSchemeHttp)
        {
            return $"plain http is allowed only to the agency's own hosts: use https, or, {PrivateHostsHint}";
        }

        if (IPAddress.TryParse(host, out var address) && AddressClass.NonPublicKind(address) is { } kind)
        {
            return $"{address} is not a public address ({kind}); {PrivateHostsHint}";
        }

        // RFC 6761: these names are the machine itself, whatever a resolver says.
        if (host == "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal))
        {
            return $"{host} is this machine, not a public host (loopback); {PrivateHostsHint}";
        }

        return null;
    }

    /// <summary>
    /// A handler that connects only where <see cref="Refusal"/>'s rules allow, checked on the addresses it resolves
    /// itself and connects to; it follows no redirect (a redirect is the answer) and uses no proxy (a proxy would be
    /// what it connects to, not the host). A refused connection fails with <see cref="OutboundUrlRefusedException"/>.
    /// </summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        PooledConnectionLifetime = PooledConnectionLifetime,
        ConnectTimeout = ConnectTimeout,
        ConnectCallback = ConnectAsync,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var host = Normalized(endpoint.Host);
        if (IsListed(host))
        {
            return await ConnectToAsync([endpoint], cancellationToken);
        }

        if (context.InitialRequestMessage.RequestUri is { } uri && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new OutboundUrlRefusedException($"{host}: plain http is allowed only to the agency's own hosts: use https, or, {PrivateHostsHint}");
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(host, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException ex)
            {
                throw new HttpRequestException(HttpRequestError.NameResolutionError, $"{host} could not be resolved ({ex.SocketErrorCode})", ex);
            }
        }

        if (addresses.Length == 0)
        {
            throw new HttpRequestException(HttpRequestError.NameResolutionError, $"{host} has no address");
        }

        // Every address, not only the first: which one a connection ends up on is not ours to choose.
        foreach (var address in addresses)
        {
            if (AddressClass.NonPublicKind(address) is { } kind)
            {
                throw new OutboundUrlRefusedException(host == address.ToString()
                    ? $"{address} is not a public address ({kind}); {PrivateHostsHint}"
                    : $"{host} resolves to {address}, which is not a public address ({kind}); {PrivateHostsHint}");
            }
        }

        return await ConnectToAsync([.. addresses.Select(a => new IPEndPoint(a, endpoint.Port))], cancellationToken);
    }

    /// <summary>Connects to the first of <paramref name="endpoints"/> that answers, as the handler's default would.</summary>
    private static async Task<Stream> ConnectToAsync(IReadOnlyList<EndPoint> endpoints, CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var endpoint in endpoints)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(endpoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (Exception ex) when (ex is SocketException && !cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private bool IsListed(string host) => options.Value.PrivateHosts.Any(entry => SameHost(Normalized(entry), host));

    private static bool SameHost(string entry, string host) =>
        entry == host || (IPAddress.TryParse(entry, out var a) && IPAddress.TryParse(host, out var b) && a.Equals(b));

    /// <summary>The URL's host as DNS and <see cref="IPAddress"/> know it: IDN in punycode, IPv6 without brackets, lower case.</summary>
    private static string HostOf(Uri uri) => Normalized(uri.IdnHost);

    private static string Normalized(string host) => host.Trim().TrimStart('[').TrimEnd(']').TrimEnd('.').ToLowerInvariant();
}
