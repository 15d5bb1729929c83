using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Integration.Tests.Messaging;

/// <summary>What counts as a stop or start keyword: the word alone, whatever its case, accents and punctuation.</summary>
public sealed class OptOutKeywordTests
{
    private static readonly BotDefinition Bot = new() { Name = "Bot", PhoneNumber = "+15550000001" };

    [Theory]
    [InlineData("STOP", true)]
    [InlineData("  stop. ", true)]
    [InlineData("¡Baja!", true)]
    [InlineData("bája", true)]
    [InlineData("Unsubscribe", true)]
    [InlineData("stop please", false)]
    [InlineData("no me des de baja", false)]
    [InlineData("", false)]
    public void AStopKeywordIsTheWordAlone(string body, bool stop) => Assert.Equal(stop, OptOut.IsStop(Bot, body));

    [Fact]
    public void ABotsOwnKeywordsReplaceTheDefaults()
    {
        var bot = Bot with { OptOutKeywords = ["Salir"], OptInKeywords = ["Volver"] };

        Assert.True(OptOut.IsStop(bot, "salir"));
        Assert.False(OptOut.IsStop(bot, "STOP"));
        Assert.True(OptOut.IsStart(bot, "¡VOLVER!"));
        Assert.False(OptOut.IsStart(bot, "START"));
    }
}
