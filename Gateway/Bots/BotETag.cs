using System.Globalization;
using HorizonAI.Grains.Interfaces;
using Microsoft.Net.Http.Headers;

namespace HorizonAI.Gateway.Bots;

/// <summary>
/// A bot's entity tag: its configuration's version (<see cref="BotDefinition.Version"/>), which every save moves on.
/// <c>GET</c> sends it; a <c>PUT</c> with <c>If-Match</c> is refused with 412 when the bot changed since.
/// </summary>
public static class BotETag
{
    public static string Of(BotDefinition bot) => $"\"{bot.Version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The version an <c>If-Match</c> names: null when there is none or it is <c>*</c> (any bot that exists); a tag
    /// that is not one of ours names no version (-1), so it never matches.
    /// </summary>
    public static long? VersionIn(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header) || header.Trim() == "*")
        {
            return null;
        }

        return EntityTagHeaderValue.TryParse(header.Trim(), out var tag) && !tag.IsWeak
            && long.TryParse(tag.Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : -1;
    }
}
