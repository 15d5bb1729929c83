using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace HorizonAI.Storage.Knowledge;

/// <summary>A document's id: <c>kd_</c> and lower-case hex digits, made by the server.</summary>
public static partial class KnowledgeIds
{
    public static string New() => "kd_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public static bool IsValid(string? id) => id is not null && Format().IsMatch(id);

    [GeneratedRegex("^kd_[0-9a-z]{8,64}$")]
    private static partial Regex Format();
}
