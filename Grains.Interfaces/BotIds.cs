using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace HorizonAI.Grains.Interfaces;

/// <summary>A bot's own identity, <c>bot_</c> and lowercase letters and digits, made by the server.</summary>
public static partial class BotIds
{
    public static string New() => "bot_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public static bool IsValid(string? id) => id is not null && Format().IsMatch(id);

    [GeneratedRegex("^bot_[0-9a-z]{8,64}$")]
    private static partial Regex Format();
}
