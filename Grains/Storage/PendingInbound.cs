namespace HorizonAI.Grains.Storage;

/// <summary>An accepted inbound message not yet claimed by a turn: a row of the inbox.</summary>
/// <param name="Id">The row's id; ids follow the order in which messages were accepted.</param>
public sealed record PendingInbound(long Id, string MessageSid, string Body, IReadOnlyList<string> MediaUrls, DateTimeOffset ReceivedAt)
{
    /// <summary>What the assistant reads: the text, and a line naming each media item.</summary>
    public string Text => MediaUrls.Count == 0
        ? Body
        : string.Join('\n', new[] { Body }.Concat(MediaUrls.Select(url => "[media] " + url))).Trim();
}
