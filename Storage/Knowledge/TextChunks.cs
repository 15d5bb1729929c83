namespace HorizonAI.Storage.Knowledge;

/// <summary>
/// Cuts a document's text into the pieces full-text search ranks: about 800 to 1,200 characters each, cut at a
/// paragraph's end when one falls in that range, else at a sentence's, else between words, each piece starting a
/// little before the previous one ended so that a sentence cut in two is still found whole in one of them.
/// </summary>
public static class TextChunks
{
    public const int MinLength = 800;
    public const int MaxLength = 1200;
    public const int Overlap = 150;

    private static readonly string[] SentenceEnds = [". ", ".\n", "! ", "!\n", "? ", "?\n", "; ", ":\n"];

    public static IReadOnlyList<string> Split(string text)
    {
        var chunks = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            if (text.Length - start <= MaxLength)
            {
                Add(chunks, text[start..]);
                break;
            }

            var cut = CutPoint(text, start);
            Add(chunks, text[start..cut]);

            // Start the next piece a little earlier, at the beginning of a word, always past this one's start.
            var next = Math.Max(cut - Overlap, start + 1);
            var space = text.IndexOfAny([' ', '\n', '\t'], next, cut - next);
            start = space >= 0 ? space + 1 : cut;
        }

        return chunks;
    }

    /// <summary>Where the piece that starts at <paramref name="start"/> ends (exclusive).</summary>
    private static int CutPoint(string text, int start)
    {
        var from = start + MinLength;
        var length = MaxLength - MinLength;

        var paragraph = text.LastIndexOf("\n\n", from + length - 1, length, StringComparison.Ordinal);
        if (paragraph >= 0)
        {
            return paragraph + 2;
        }

        var sentence = SentenceEnds.Select(end => text.LastIndexOf(end, from + length - 1, length, StringComparison.Ordinal))
            .Where(i => i >= 0).DefaultIfEmpty(-1).Max();
        if (sentence >= 0)
        {
            return sentence + 2;
        }

        var word = text.LastIndexOfAny([' ', '\n', '\t'], from + length - 1, length);
        if (word >= 0)
        {
            return word + 1;
        }

        // One long run without spaces: cut anywhere but inside a surrogate pair.
        var hard = start + MaxLength;
        return char.IsHighSurrogate(text[hard - 1]) ? hard - 1 : hard;
    }

    private static void Add(List<string> chunks, string piece)
    {
        var trimmed = piece.Trim();
        if (trimmed.Length > 0)
        {
            chunks.Add(trimmed);
        }
    }
}
