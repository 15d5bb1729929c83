using System.Text.RegularExpressions;

namespace HorizonAI.Grains.Messaging;

/// <summary>
/// Citation markers models leave in text answered from a file search — <c>【4:0†menu.txt】</c>, and the private-use
/// form U+E200 <c>filecite</c> U+E202 <c>turn0file0</c> U+E201 — which mean nothing on WhatsApp: removed before the
/// answer is split and sent (the operator sees the sources in the transcript instead).
/// </summary>
public static partial class CitationMarkers
{
    public static string Strip(string text)
    {
        if (text.IndexOf('\u3010') < 0 && text.IndexOf('\uE200') < 0)
        {
            return text;
        }

        var stripped = Marker().Replace(text, "");
        // A marker that stood between a word and the punctuation after it leaves a space there.
        return SpaceBeforePunctuation().Replace(stripped, "$1");
    }

    [GeneratedRegex(@"[ \t]*(?:\u3010[^\u3010\u3011\n]{0,200}\u2020[^\u3010\u3011\n]{0,200}\u3011|\uE200[^\uE200\uE201\n]{0,200}\uE201)")]
    private static partial Regex Marker();

    [GeneratedRegex(@"[ \t]+([.,;:!?])")]
    private static partial Regex SpaceBeforePunctuation();
}
