using System.Net;

namespace HorizonAI.LoadGenerator.Cli;

/// <summary>The generator only ever sends to this machine: every URL it is given must name a loopback address.</summary>
public static class LoopbackUrl
{
    public static Uri Parse(string text, string option)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new UsageException($"--{option} must be an absolute http URL, not '{text}'");
        }

        var loopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address));
        return loopback ? uri : throw new UsageException($"--{option} must point at 127.0.0.1 (the benchmark sends no traffic off this machine), not '{uri.Host}'");
    }
}
