using System.Security.Cryptography;
using System.Text;

namespace HorizonAI.Grains.Interfaces;

/// <summary>
/// The conversation grain key: the bot's number and a pseudonym of the end user's number. Grain keys travel into
/// Orleans' own logs, reminder rows and storage rows, so the user's number itself is kept out of them; the grain
/// keeps the number in its state, where it is needed to reply.
/// </summary>
public static class ConversationKey
{
    private const char Separator = '|';

    public static string For(string botNumber, string userNumber) => botNumber + Separator + UserPseudonym(userNumber);

    /// <summary>A stable, non-reversible-at-a-glance id for a user number (the same on every silo and release).</summary>
    public static string UserPseudonym(string userNumber) =>
        "u" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("horizonai-user:" + userNumber)).AsSpan(0, 12));

    public static string BotNumberOf(string key)
    {
        var index = key.IndexOf(Separator, StringComparison.Ordinal);
        if (index <= 0 || index == key.Length - 1)
        {
            throw new ArgumentException($"'{key}' is not a conversation key", nameof(key));
        }

        return key[..index];
    }
}
