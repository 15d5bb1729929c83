using System.Globalization;
using System.Text.RegularExpressions;

namespace HorizonAI.LoadGenerator.Scenario;

/// <summary>
/// Marks every message body with the run and its sequence number (<c>m1a2b3c-42</c>). The sandbox assistant
/// answers "… you said: &lt;input&gt;", and a turn that answers several messages puts all their bodies in its input,
/// so the marks in a reply say exactly which messages it answered.
/// </summary>
public static partial class MessageTag
{
    public static string NewRun() => Convert.ToHexStringLower(BitConverter.GetBytes(Random.Shared.Next()))[..6];

    public static string Body(string run, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"Hola, quiero reservar una mesa para esta noche (m{run}-{sequence})");

    /// <summary>The sequence numbers of <paramref name="run"/>'s messages that <paramref name="text"/> quotes.</summary>
    public static IEnumerable<long> Find(string text, string run)
    {
        foreach (Match match in Pattern().Matches(text))
        {
            if (match.Groups[1].ValueSpan.SequenceEqual(run))
            {
                yield return long.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
            }
        }
    }

    [GeneratedRegex(@"\bm([0-9a-f]{6})-([0-9]+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
