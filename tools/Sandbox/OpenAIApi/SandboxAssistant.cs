using System.Globalization;
using System.Text;

namespace HorizonAI.Sandbox.OpenAIApi;

/// <summary>The sandbox's deterministic "model": what it answers and how many tokens it charges.</summary>
internal static class SandboxAssistant
{
    public const string DefaultModel = "gpt-sandbox";
    private const int LabelLength = 40;
    private const int SentencesPerParagraph = 5;

    /// <summary>
    /// <c>[sandbox] &lt;first 40 chars of instructions, or "assistant"&gt; — you said: &lt;input&gt;</c>, so a test can
    /// see which bot's instructions were used; or, with <c>#long:N</c>, exactly N characters of prose.
    /// </summary>
    public static string Reply(string? instructions, string input, SandboxTags tags)
    {
        if (tags.LongLength is { } length)
        {
            return LongText(length);
        }

        var label = string.IsNullOrEmpty(instructions)
            ? "assistant"
            : instructions[..Math.Min(LabelLength, instructions.Length)];
        return $"[sandbox] {label} — you said: {input}";
    }

    /// <summary>
    /// Numbered sentences ("Sentence 7 of the long answer.") separated by spaces, a blank line after every fifth,
    /// cut to exactly <paramref name="length"/> characters; it never ends in whitespace, so trimming keeps it whole.
    /// </summary>
    public static string LongText(int length)
    {
        var text = new StringBuilder(length + 64);
        for (var sentence = 1; text.Length < length; sentence++)
        {
            text.Append(CultureInfo.InvariantCulture, $"Sentence {sentence} of the long answer.");
            text.Append(sentence % SentencesPerParagraph == 0 ? "\n\n" : " ");
        }

        text.Length = length;
        for (var i = length - 1; i >= 0 && char.IsWhiteSpace(text[i]); i--)
        {
            text[i] = '.';
        }

        return text.ToString();
    }

    /// <summary>About four characters a token, rounded up: deterministic, so tests can assert exact usage.</summary>
    public static int Tokens(int characters) => (characters + 3) / 4;
}
