namespace HorizonAI.Grains.Messaging;

/// <summary>
/// Splits a long answer into WhatsApp-sized parts (Twilio refuses bodies over 1,600 characters), cutting at a
/// paragraph break when one fits, else after a sentence, else between words, and only as a last resort mid-word.
/// </summary>
public static class ReplySplitter
{
    public const int TwilioBodyLimit = 1600;

    private static readonly string[] SentenceEnds = [". ", "! ", "? ", ".\n", "!\n", "?\n", "。"];

    public static IReadOnlyList<string> Split(string text, int limit = TwilioBodyLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 2);
        var parts = new List<string>();
        var rest = text.Trim();
        while (rest.Length > limit)
        {
            var cut = FindCut(rest, limit);
            var part = rest[..cut].TrimEnd();
            if (part.Length > 0)
            {
                parts.Add(part);
            }

            rest = rest[cut..].TrimStart();
        }

        if (rest.Length > 0)
        {
            parts.Add(rest);
        }

        return parts;
    }

    private static int FindCut(string text, int limit)
    {
        var window = text.AsSpan(0, limit + 1);

        var paragraph = window.LastIndexOf("\n\n");
        if (paragraph > 0)
        {
            return paragraph;
        }

        var sentence = -1;
        foreach (var end in SentenceEnds)
        {
            var index = window[..limit].LastIndexOf(end);
            if (index >= 0)
            {
                sentence = Math.Max(sentence, index + end.TrimEnd().Length);
            }
        }

        if (sentence > 0)
        {
            return sentence;
        }

        var space = window.LastIndexOfAny(' ', '\n', '\t');
        if (space > 0)
        {
            return space;
        }

        // No boundary at all: cut hard, but never between the halves of a surrogate pair.
        return char.IsHighSurrogate(text[limit - 1]) ? limit - 1 : limit;
    }
}
