using System.Text.Json;
using HorizonAI.Gateway.Infrastructure;

namespace HorizonAI.Gateway.Bots;

/// <summary>
/// The body of <c>POST /bots/import</c>: a JSON array of bots, as <c>GET /bots</c> answers it. Only the array is read
/// here; each entry is read and validated on its own, so that one bad bot is rejected with its reasons and the others
/// are restored.
/// </summary>
public sealed class BotBackup
{
    private List<JsonElement> _entries = [];

    /// <summary>Each entry with its position in the array.</summary>
    public IEnumerable<(int Position, JsonElement Entry)> Entries() => _entries.Select((entry, position) => (position, entry));

    public static async ValueTask<BotBackup?> BindAsync(HttpContext context) =>
        new() { _entries = await JsonBody.ReadAsync<List<JsonElement>>(context) };
}
