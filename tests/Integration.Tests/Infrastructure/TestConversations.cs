using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>The conversation grain of a bot's number and a user, keyed by the bot that has the number now (its id).</summary>
public static class TestConversations
{
    public static async Task<IConversationGrain> ConversationAsync(this IClusterClient client, string botNumber, string userNumber)
    {
        var bot = await client.GetGrain<IBotGrain>(botNumber).GetAsync() ?? throw new InvalidOperationException($"No bot has the number {botNumber}");
        return client.GetGrain<IConversationGrain>(ConversationKey.For(botNumber, bot.Id!, userNumber));
    }
}
