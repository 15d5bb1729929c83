using HorizonAI.Gateway.Webhooks;

namespace HorizonAI.Gateway.Access;

/// <summary>
/// A scoped key's bots are bot ids, not numbers: a number given to another client is another bot, which the old
/// client's keys do not see. Routes name numbers; these translate through the Gateway's roster of live bots.
/// </summary>
public static class BotScope
{
    /// <summary>Whether the principal may see the bot that has <paramref name="number"/> now (none: only the admin key "may").</summary>
    public static async ValueTask<bool> SeesAsync(this AccessPrincipal principal, string number, BotRoster roster, CancellationToken cancellationToken) =>
        principal.IsAdmin || (await roster.FindAsync(number, cancellationToken) is { } bot && principal.CanSee(bot.Id));

    /// <summary>The numbers of the live bots among <paramref name="botIds"/>, in order (a deleted bot has none).</summary>
    public static async Task<string[]> NumbersAsync(IEnumerable<string> botIds, BotRoster roster, CancellationToken cancellationToken)
    {
        var numbers = new List<string>();
        foreach (var id in botIds)
        {
            if (await roster.NumberOfAsync(id, cancellationToken) is { } number)
            {
                numbers.Add(number);
            }
        }

        return [.. numbers.Order(StringComparer.Ordinal)];
    }
}
