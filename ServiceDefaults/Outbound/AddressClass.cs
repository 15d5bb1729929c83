using System.Net;
using System.Net.Sockets;

namespace HorizonAI.ServiceDefaults.Outbound;

/// <summary>
/// What kind of address an IP address is, when it is not one of the public internet: the ranges a request to the
/// agency's own network (or the cloud's metadata service) would reach. IPv6 forms that carry an IPv4 address
/// (mapped, compatible, NAT64, 6to4) are judged by that address.
/// </summary>
internal static class AddressClass
{
    /// <summary>Null for a public address; else what it is, in words a person can act on ("loopback", …).</summary>
    public static string? NonPublicKind(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return OfIPv4(address.GetAddressBytes());
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an internet address";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return OfIPv4(address.MapToIPv4().GetAddressBytes());
        }

        var b = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "loopback";
        }

        // ::a.b.c.d (IPv4-compatible, deprecated), 64:ff9b::a.b.c.d (NAT64) and 2002:aabb:ccdd:: (6to4) reach the IPv4 address inside.
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return OfIPv4(b[12..]) ?? "IPv4-compatible, deprecated";
        }

        if (b.AsSpan(0, 12).SequenceEqual(new byte[] { 0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 }))
        {
            return OfIPv4(b[12..]);
        }

        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return OfIPv4(b[2..6]);
        }

        return b[0] switch
        {
            0xff => "multicast",
            0xfc or 0xfd => "unique local fc00::/7",
            0xfe when (b[1] & 0xc0) == 0x80 => "link-local fe80::/10",
            0xfe when (b[1] & 0xc0) == 0xc0 => "site-local fec0::/10",
            _ => null,
        };
    }

    private static string? OfIPv4(ReadOnlySpan<byte> b) => (b[0], b[1]) switch
    {
        (0, _) => "unspecified, 0.0.0.0/8",
        (10, _) => "private network 10.0.0.0/8",
        (100, >= 64 and <= 127) => "carrier-grade NAT 100.64.0.0/10",
        (127, _) => "loopback",
        (169, 254) => "link-local 169.254.0.0/16, where cloud metadata services answer",
        (172, >= 16 and <= 31) => "private network 172.16.0.0/12",
        (192, 0) when b[2] == 0 => "reserved 192.0.0.0/24",
        (192, 168) => "private network 192.168.0.0/16",
        (198, 18 or 19) => "benchmarking 198.18.0.0/15",
        ( >= 224 and <= 239, _) => "multicast",
        ( >= 240, _) => "reserved 240.0.0.0/4",
        _ => null,
    };
}
