using System.Security.Cryptography;
using System.Text;

namespace HorizonAI.Grains.Interfaces;

/// <summary>
/// The conversation grain key: the bot's number, the bot's id and a pseudonym of the end user's number. The id says
/// whose data the conversation is (a number given to another client is another bot, with conversations of its own);
/// the number is the one it answers from. Grain keys travel into Orleans' own logs and reminder rows, so the user's
/// number itself is kept out of them; every call names it, and the grain checks it against the key.
/// </summary>
public static class ConversationKey
{
    private const char Separator = '|';

    public static string For(string botNumber, string botId, string userNumber) =>
        botNumber + Separator + botId + Separator + UserPseudonym(userNumber);

    /// <summary>A stable, non-reversible-at-a-glance id for a user number (the same on every silo and release).</summary>
    public static string UserPseudonym(string userNumber) =>
        "u" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("horizonai-user:" + userNumber)).AsSpan(0, 12));

    public static string BotNumberOf(string key) => Parts(key)[0];

    public static string BotIdOf(string key) => Parts(key)[1];

    private static string[] Parts(string key) =>
        key.Split(Separator) is [{ Length: > 0 }, { Length: > 0 }, { Length: > 0 }] parts
            ? parts
            : throw new ArgumentException($"'{key}' is not a conversation key", nameof(key));
}
