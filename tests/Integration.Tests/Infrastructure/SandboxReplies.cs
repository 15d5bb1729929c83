using HorizonAI.Sandbox;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>What the Twilio stand-in was asked to send to one user, in the order the sends arrived.</summary>
public static class SandboxReplies
{
    public static List<SentMessage> RepliesTo(this SandboxState upstreams, string user) =>
        upstreams.TwilioMessages.Where(m => m.To == "whatsapp:" + user).OrderBy(m => m.ReceivedAt).ToList();

    /// <summary>Waits until at least <paramref name="count"/> replies went to the user; returns them all.</summary>
    public static Task<List<SentMessage>> WaitForRepliesToAsync(this SandboxState upstreams, string user, int count, TimeSpan timeout) =>
        Eventually.WaitAsync(() => Task.FromResult(upstreams.RepliesTo(user)), r => r.Count >= count, timeout, $"{count} replies to {user}");
}
