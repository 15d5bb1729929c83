using System.Globalization;
using System.Text;

namespace HorizonAI.Grains.Interfaces;

/// <summary>
/// The words with which an end user stops a bot's messages and starts them again, and the one confirmation each
/// gets. A message is a keyword when it is only that word, whatever its case, accents or surrounding punctuation.
/// </summary>
public static class OptOut
{
    public static readonly IReadOnlyList<string> DefaultStopKeywords = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "BAJA"];
    public static readonly IReadOnlyList<string> DefaultStartKeywords = ["START", "UNSTOP", "ALTA"];

    public const string DefaultOptOutMessage = "You will get no more messages from us. Reply START to get them again.";
    public const string DefaultOptInMessage = "You will get our messages again. Reply STOP to stop them.";

    public static bool IsStop(BotDefinition bot, string body) => Matches(body, bot.OptOutKeywords ?? DefaultStopKeywords);

    public static bool IsStart(BotDefinition bot, string body) => Matches(body, bot.OptInKeywords ?? DefaultStartKeywords);

    public static string OptOutMessage(BotDefinition bot) => string.IsNullOrWhiteSpace(bot.OptOutMessage) ? DefaultOptOutMessage : bot.OptOutMessage;

    public static string OptInMessage(BotDefinition bot) => string.IsNullOrWhiteSpace(bot.OptInMessage) ? DefaultOptInMessage : bot.OptInMessage;

    /// <summary>The form keywords are compared in: trimmed of spaces and punctuation, upper case, without accents.</summary>
    public static string Normalize(string text)
    {
        var trimmed = text.Trim().Trim('.', ',', '!', '¡', '?', '¿', ';', ':', '"', '\'', ' ').Normalize(NormalizationForm.FormD);
        var plain = new StringBuilder(trimmed.Length);
        foreach (var c in trimmed.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark))
        {
            plain.Append(char.ToUpperInvariant(c));
        }

        return plain.ToString();
    }

    /// <summary>Whether the whole message is one of <paramref name="keywords"/>, compared in their <see cref="Normalize"/>d form.</summary>
    public static bool Matches(string body, IEnumerable<string> keywords)
    {
        var word = Normalize(body);
        return word.Length > 0 && word.Length <= 40 && keywords.Any(k => Normalize(k) == word);
    }
}
