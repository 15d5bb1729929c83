namespace HorizonAI.Grains.Interfaces;

/// <summary>The conversation grain key: bot number and user number, both E.164, so tenants never share a key.</summary>
public static class ConversationKey
{
    private const char Separator = '|';

    public static string For(string botNumber, string userNumber) => botNumber + Separator + userNumber;

    public static (string BotNumber, string UserNumber) Parse(string key)
    {
        var index = key.IndexOf(Separator, StringComparison.Ordinal);
        if (index <= 0 || index == key.Length - 1)
        {
            throw new ArgumentException($"'{key}' is not a conversation key", nameof(key));
        }

        return (key[..index], key[(index + 1)..]);
    }
}
