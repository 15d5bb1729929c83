namespace HorizonAI.LoadGenerator.Replies;

/// <summary>
/// Which messages were answered, when, and how often: the replies the sandbox recorded, matched to the run's
/// messages by the tags their bodies quote.
/// </summary>
public sealed class ReplyMatch
{
    private ReplyMatch(long messages)
    {
        FirstReplyUtcTicks = new long[messages];
        Replies = new byte[messages];
        ConversationOpener = new bool[messages];
    }

    /// <summary>Per message: when its first reply reached the Twilio stand-in (UTC ticks), 0 when none did.</summary>
    public long[] FirstReplyUtcTicks { get; }

    /// <summary>Per message: how many replies quoted it (saturates at 255).</summary>
    public byte[] Replies { get; }

    /// <summary>Per message: whether the reply that answered it was its conversation's first (that turn also created the OpenAI conversation).</summary>
    public bool[] ConversationOpener { get; }

    /// <summary>Replies that quoted this run's messages but went to another user or came from another bot than the message's.</summary>
    public long Misrouted { get; private set; }

    /// <summary>Replies that quoted none of this run's messages (fallback messages, other runs' leftovers).</summary>
    public long Untagged { get; private set; }

    public long RepliesSeen { get; private set; }

    public static ReplyMatch Match(IReadOnlyList<SandboxReply> replies, string run, long messages, Func<long, (string Bot, string User)> addressOf)
    {
        var match = new ReplyMatch(messages);
        var openedConversations = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reply in replies.OrderBy(r => r.ReceivedAt))
        {
            match.RepliesSeen++;
            var opener = openedConversations.Add(reply.From + "|" + reply.To);
            var tagged = false;
            foreach (var sequence in Scenario.MessageTag.Find(reply.Body, run))
            {
                if (sequence < 0 || sequence >= messages)
                {
                    continue;
                }

                tagged = true;
                var (bot, user) = addressOf(sequence);
                if (reply.From != "whatsapp:" + bot || reply.To != "whatsapp:" + user)
                {
                    match.Misrouted++;
                    continue;
                }

                if (match.Replies[sequence]++ == 0)
                {
                    match.FirstReplyUtcTicks[sequence] = reply.ReceivedAt.UtcTicks;
                    match.ConversationOpener[sequence] = opener;
                }
                else if (match.Replies[sequence] == 0)
                {
                    match.Replies[sequence] = byte.MaxValue;
                }
            }

            if (!tagged)
            {
                match.Untagged++;
            }
        }

        return match;
    }
}
