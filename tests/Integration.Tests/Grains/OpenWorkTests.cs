using HorizonAI.Grains.Conversations;
using HorizonAI.Grains.Storage;

namespace HorizonAI.Integration.Tests.Grains;

/// <summary>The conversation grain's in-memory copy of its open work: what it keeps when its own writes and a reading of the table cross.</summary>
public sealed class OpenWorkTests
{
    [Fact]
    public void AnOperatorsMessageQueuedWhileTheTableIsReadIsKeptInOrder()
    {
        var open = new OpenWork();
        var load = open.BeginLoad();
        var reply = new PendingPart(10, "uno");
        var operatorPart = new PendingPart(12, "Le escribe Ana", SentBy: "Ana");

        // The reading began before the operator's rows committed, so it does not have them.
        open.Queued([operatorPart]);
        Assert.True(open.Apply(new ConversationSnapshot(null, [], [], [reply]), load));

        Assert.Equal([reply, operatorPart], open.Outbox);
    }

    [Fact]
    public void OnlyTheBotsOwnLastPartIsTheLastOfItsReply()
    {
        var open = new OpenWork();
        var load = open.BeginLoad();
        var first = new PendingPart(1, "uno");
        var last = new PendingPart(2, "dos");
        var operatorPart = new PendingPart(3, "Le escribe Ana", SentBy: "Ana");
        open.Apply(new ConversationSnapshot(null, [], [], [first, last, operatorPart]), load);

        Assert.False(open.IsLastOfReply(first));
        open.Outbox.Remove(first);
        Assert.True(open.IsLastOfReply(last));
        Assert.False(open.IsLastOfReply(operatorPart));
    }
}
