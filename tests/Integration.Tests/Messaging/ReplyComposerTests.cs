using HorizonAI.Grains.Messaging;

namespace HorizonAI.Integration.Tests.Messaging;

/// <summary>How an assistant's answer becomes WhatsApp messages: text split to size, media lines as media messages, in order.</summary>
public sealed class ReplyComposerTests
{
    [Fact]
    public void AMediaLineBecomesAMediaMessageInItsPlace()
    {
        var parts = ReplyComposer.Compose("Aquí está el menú:\n![Menú de hoy](https://example.com/menu.pdf)\n¿Algo más?");

        Assert.Equal(
            [new ReplyPart("Aquí está el menú:"), new ReplyPart("Menú de hoy", "https://example.com/menu.pdf"), new ReplyPart("¿Algo más?")],
            parts);
    }

    [Fact]
    public void ImagesInsideALineAndOtherSchemesStayText()
    {
        const string answer = "Mira ![esto](https://example.com/a.png) aquí\n![local](file:///etc/passwd)\n![](javascript:alert(1))";

        var part = Assert.Single(ReplyComposer.Compose(answer));

        Assert.Null(part.MediaUrl);
        Assert.Equal(answer, part.Body);
    }

    [Fact]
    public void ACaptionMayBeEmptyAndOneTooLongForWhatsAppGoesWholeAsTextBeforeItsMedia()
    {
        var caption = string.Concat(Enumerable.Repeat("¡Oferta! 🎉 ", 120)).Trim();
        var parts = ReplyComposer.Compose($"![](https://example.com/a.png)\n  ![{caption}](http://example.com/b.jpg)  ");

        Assert.Equal(new ReplyPart("", "https://example.com/a.png"), parts[0]);
        Assert.Equal(caption, string.Join(' ', parts.Skip(1).SkipLast(1).Select(p => p.Body)));
        Assert.All(parts.Skip(1).SkipLast(1), p => Assert.Null(p.MediaUrl));
        Assert.Equal(new ReplyPart("", "http://example.com/b.jpg"), parts[^1]);
    }

    [Fact]
    public void TextAroundMediaIsSplitToTwiliosLimitAndAnAnswerWithoutMediaSplitsAsBefore()
    {
        var prose = string.Join(' ', Enumerable.Repeat("Una frase de prueba.", 120));
        var parts = ReplyComposer.Compose($"{prose}\n![foto](https://example.com/p.png)\n{prose}");

        Assert.All(parts, p => Assert.True(p.Body.Length <= ReplySplitter.TwilioBodyLimit));
        Assert.Equal(1, parts.Count(p => p.MediaUrl is not null));
        var media = parts.ToList().FindIndex(p => p.MediaUrl is not null);
        Assert.Equal(ReplySplitter.Split(prose), parts.Take(media).Select(p => p.Body));
        Assert.Equal(ReplySplitter.Split(prose + "\n\n" + prose), ReplyComposer.Compose(prose + "\n\n" + prose).Select(p => p.Body));
    }
}
