using System.Net;
using System.Net.Sockets;
using System.Text;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Outbound;
using Microsoft.Extensions.Options;

namespace HorizonAI.Integration.Tests.Security;

/// <summary>
/// The outbound guard of tool, MCP and handoff-webhook URLs (SPEC §10): a URL that plainly points inside (an address
/// that is not public, plain http, credentials in it) is refused when configured, with a reason; a call through its
/// handler connects only to public addresses or to the agency's own hosts, checked on what the name resolves to, and
/// follows no redirect. The calls are real HTTP requests to a listener on this machine.
/// </summary>
public sealed class OutboundUrlGuardTests
{
    private const string Hint = "TOOL_PRIVATE_HOSTS";

    [Theory]
    [InlineData("https://127.0.0.1/hook", "127.0.0.1 is not a public address (loopback)")]
    [InlineData("https://127.1.2.3:8443/hook", "127.1.2.3 is not a public address (loopback)")]
    [InlineData("https://[::1]/hook", "::1 is not a public address (loopback)")]
    [InlineData("https://2130706433/hook", "127.0.0.1 is not a public address (loopback)")]
    [InlineData("https://0x7f.1/hook", "127.0.0.1 is not a public address (loopback)")]
    [InlineData("https://169.254.169.254/latest/meta-data/", "169.254.169.254 is not a public address (link-local")]
    [InlineData("https://10.0.0.5/book", "10.0.0.5 is not a public address (private network 10.0.0.0/8)")]
    [InlineData("https://172.16.0.1/book", "172.16.0.1 is not a public address (private network 172.16.0.0/12)")]
    [InlineData("https://172.31.255.254/book", "172.31.255.254 is not a public address (private network 172.16.0.0/12)")]
    [InlineData("https://192.168.1.10/book", "192.168.1.10 is not a public address (private network 192.168.0.0/16)")]
    [InlineData("https://100.64.0.1/book", "100.64.0.1 is not a public address (carrier-grade NAT 100.64.0.0/10)")]
    [InlineData("https://0.0.0.0/book", "0.0.0.0 is not a public address (unspecified")]
    [InlineData("https://224.0.0.251/book", "224.0.0.251 is not a public address (multicast)")]
    [InlineData("https://[::]/book", ":: is not a public address (unspecified)")]
    [InlineData("https://[fd00::1]/book", "fd00::1 is not a public address (unique local fc00::/7)")]
    [InlineData("https://[fe80::1]/book", "fe80::1 is not a public address (link-local fe80::/10)")]
    [InlineData("https://[ff02::1]/book", "ff02::1 is not a public address (multicast)")]
    [InlineData("https://[::ffff:127.0.0.1]/book", "::ffff:127.0.0.1 is not a public address (loopback)")]
    [InlineData("https://[::ffff:169.254.169.254]/book", "::ffff:169.254.169.254 is not a public address (link-local")]
    [InlineData("https://[::ffff:192.168.0.1]/book", "::ffff:192.168.0.1 is not a public address (private network 192.168.0.0/16)")]
    [InlineData("https://localhost:8443/book", "localhost is this machine, not a public host (loopback)")]
    [InlineData("https://api.localhost/book", "api.localhost is this machine, not a public host (loopback)")]
    [InlineData("http://api.restaurant.example/book", "plain http is allowed only to the agency's own hosts: use https")]
    [InlineData("ftp://api.restaurant.example/book", "it must be an https URL, not ftp")]
    [InlineData("/horizon/book", "it is not an absolute URL")]
    [InlineData("api.restaurant.example/book", "it is not an absolute URL")]
    [InlineData("https://user:secret@api.restaurant.example/book", "it must not carry a user name or password")]
    public void AUrlThatPlainlyPointsInsideIsRefusedWithAReason(string url, string reason)
    {
        var refusal = Guard().Refusal(url);

        Assert.NotNull(refusal);
        Assert.StartsWith(reason, refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://127.0.0.1/hook")]
    [InlineData("https://169.254.169.254/")]
    [InlineData("http://api.restaurant.example/book")]
    [InlineData("https://[fd00::1]/")]
    [InlineData("https://localhost/")]
    public void EveryRefusalOfAnAddressOrOfPlainHttpSaysHowToAllowTheAgencysOwnHost(string url) =>
        Assert.Contains(Hint, Guard().Refusal(url), StringComparison.Ordinal);

    [Theory]
    [InlineData("https://api.restaurant.example/horizon/book")]
    [InlineData("https://api.restaurant.example:8443/horizon/book?x=1")]
    [InlineData("https://93.184.215.14/book")]
    [InlineData("https://172.32.0.1/book")]
    [InlineData("https://100.128.0.1/book")]
    [InlineData("https://[2606:4700:4700::1111]/book")]
    [InlineData("https://[::ffff:93.184.215.14]/book")]
    public void HttpsToAPublicHostIsAllowed(string url) => Assert.Null(Guard().Refusal(url));

    [Theory]
    [InlineData("http://booking.internal:8080/book")]
    [InlineData("HTTP://BOOKING.INTERNAL/book")]
    [InlineData("https://booking.internal/book")]
    [InlineData("http://10.1.2.3/book")]
    [InlineData("http://[::1]:9000/book")]
    [InlineData("http://[0:0:0:0:0:0:0:1]:9000/book")]
    public void TheAgencysOwnHostsAreAllowedWhateverTheyAreAndOverPlainHttp(string url) =>
        Assert.Null(Guard("Booking.Internal", "10.1.2.3", "[::1]").Refusal(url));

    [Theory]
    [InlineData("http://10.1.2.4/book", "plain http")]
    [InlineData("https://10.1.2.4/book", "10.1.2.4 is not a public address (private")]
    [InlineData("http://other.internal/book", "plain http")]
    public void AHostThatIsNotListedIsNotAllowedBecauseAnotherIs(string url, string reason) =>
        Assert.StartsWith(reason, Guard("booking.internal", "10.1.2.3").Refusal(url), StringComparison.Ordinal);

    [Fact]
    public async Task ANameThatResolvesToTheLoopbackIsRefusedWhenCalledAndNothingIsConnectedTo()
    {
        await using var listener = LocalListener.Start("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        using var http = new HttpClient(Guard().CreateHandler());

        var refused = await RefusedAsync(http, $"https://localhost:{listener.Port}/book");

        Assert.Equal($"localhost resolves to {refused.Address}, which is not a public address (loopback); if it is the agency's own, list its host in {Hint}", refused.Message);
        Assert.Equal(0, listener.Connections);
    }

    [Theory]
    [InlineData("https://127.0.0.1:{0}/book", "127.0.0.1 is not a public address (loopback)")]
    [InlineData("https://[::ffff:127.0.0.1]:{0}/book", "::ffff:127.0.0.1 is not a public address (loopback)")]
    [InlineData("http://localhost:{0}/book", "localhost: plain http is allowed only to the agency's own hosts")]
    public async Task AnAddressThatIsNotPublicOrPlainHttpIsRefusedWhenCalled(string url, string reason)
    {
        await using var listener = LocalListener.Start("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        using var http = new HttpClient(Guard().CreateHandler());

        var refused = await RefusedAsync(http, string.Format(System.Globalization.CultureInfo.InvariantCulture, url, listener.Port));

        Assert.StartsWith(reason, refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, listener.Connections);
    }

    [Fact]
    public async Task AListedHostIsCalledOverPlainHttpAndARedirectIsTheAnswerNotFollowed()
    {
        await using var listener = LocalListener.Start("HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/meta-data/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        using var http = new HttpClient(Guard("LOCALHOST").CreateHandler());

        using var response = await http.PostAsync($"http://localhost:{listener.Port}/book", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(1, listener.Connections);
    }

    [Fact]
    public async Task ListedAddressesAreCalledWhateverTheyAre()
    {
        await using var listener = LocalListener.Start("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        using var http = new HttpClient(Guard("127.0.0.1").CreateHandler());

        Assert.Equal("ok", await http.GetStringAsync($"http://127.0.0.1:{listener.Port}/book"));
        Assert.Equal(1, listener.Connections);
    }

    private static OutboundUrlGuard Guard(params string[] privateHosts) =>
        new(Options.Create(new ToolOptions { PrivateHosts = privateHosts }));

    /// <summary>The guard's refusal, as an HttpClient caller meets it: the inner exception of the request's failure.</summary>
    private static async Task<(string Message, string Address)> RefusedAsync(HttpClient http, string url)
    {
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(url));
        var refusal = failure as OutboundUrlRefusedException ?? Assert.IsType<OutboundUrlRefusedException>(failure.InnerException);
        var address = refusal.Message.Split(' ') is [_, "resolves", "to", var resolved, ..] ? resolved.TrimEnd(',') : "";
        return (refusal.Message, address);
    }

    /// <summary>A TCP listener on the IPv4 loopback that answers every request with one fixed response and counts its connections.</summary>
    private sealed class LocalListener : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly byte[] _response;
        private Task _accepting = Task.CompletedTask;
        private int _connections;

        private LocalListener(string response) => _response = Encoding.ASCII.GetBytes(response);

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref _connections);

        public static LocalListener Start(string response)
        {
            var listener = new LocalListener(response);
            listener._listener.Start();
            listener._accepting = listener.AcceptAsync();
            return listener;
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                Interlocked.Increment(ref _connections);
                using (socket)
                {
                    var buffer = new byte[8192];
                    var request = new StringBuilder();
                    while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var read = await socket.ReceiveAsync(buffer, SocketFlags.None);
                        if (read == 0)
                        {
                            break;
                        }

                        request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }

                    await socket.SendAsync(_response, SocketFlags.None);
                    socket.Shutdown(SocketShutdown.Both);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _accepting;
            _stop.Dispose();
        }
    }
}
