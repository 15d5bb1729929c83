namespace HorizonAI.Gateway.Infrastructure;

/// <summary>
/// Text that PostgreSQL and UTF-8 can hold: no NUL characters and no unpaired surrogates. Such text cannot come from
/// WhatsApp, but it can come from a hostile request, and it must be refused or cleaned before it reaches storage.
/// </summary>
public static class TextInput
{
    public static bool IsStorable(string? text)
    {
        if (text is null)
        {
            return true;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Keeps a message rather than losing it: NULs are dropped and unpaired surrogates become U+FFFD.</summary>
    public static string Clean(string text)
    {
        if (IsStorable(text))
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0')
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else
            {
                builder.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return builder.ToString();
    }
}
