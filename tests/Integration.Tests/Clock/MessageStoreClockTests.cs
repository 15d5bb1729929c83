using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Clock;

/// <summary>The message store's rules of time, on the clock the store is given.</summary>
public sealed class MessageStoreClockTests
{
    [Fact]
    public async Task FreeTextIsRefusedOnceTheUsersLastMessageIsTwentyFourHoursOld()
    {
        var clock = new FakeClock();
        await using var test = await TestMessageStore.CreateAsync(time: clock);
        const string bot = "+15550001000";
        const string user = "+56900000311";
        var wrote = clock.GetUtcNow();
        await test.Store.AcceptAsync(new InboundMessage { MessageSid = "SMclockwindow1", BotNumber = bot, BotId = bot, UserNumber = user, Body = "hola", ReceivedAt = wrote },
            MessageStatus.Received);

        clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        var open = await test.Store.AddOutboundAsync(bot, user, new OutboundRequest(["Hola, soy Ana"], "Ana"));
        Assert.Equal((null, wrote, 1), (open.Refusal, open.LastInboundAt, open.Parts.Count));

        clock.Advance(TimeSpan.FromSeconds(1));
        var closed = await test.Store.AddOutboundAsync(bot, user, new OutboundRequest(["¿Sigue ahí?"], "Ana"));
        Assert.Equal((OutboundResult.OutsideWindow, wrote, 0), (closed.Refusal, closed.LastInboundAt, closed.Parts.Count));
    }
}
