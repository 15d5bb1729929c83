using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HorizonAI.LoadGenerator.Scenario;

/// <summary>Creates the benchmark's bots through the admin API, as an operator restoring a backup would.</summary>
public sealed class BotProvisioner(Uri gateway, string adminKey)
{
    private const int Batch = 100;

    public async Task<int> EnsureBotsAsync(int count, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = gateway, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        var written = 0;
        for (var first = 0; first < count; first += Batch)
        {
            var bots = Enumerable.Range(first, Math.Min(Batch, count - first)).Select(Document).ToList();
            using var response = await http.PostAsJsonAsync("/bots/import", bots, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST /bots/import answered {(int)response.StatusCode}: {text}");
            }

            var summary = JsonSerializer.Deserialize<ImportAnswer>(text)
                ?? throw new InvalidOperationException("POST /bots/import answered an empty body");
            if (summary.Created + summary.Updated != bots.Count)
            {
                throw new InvalidOperationException($"POST /bots/import rejected bots: {text}");
            }

            written += bots.Count;
        }

        return written;
    }

    private static BotJson Document(int bot) => new(
        string.Create(CultureInfo.InvariantCulture, $"Bench Restaurante {bot:D4}"),
        Population.BotNumber(bot),
        "Eres el asistente de un restaurante de prueba. Responde breve y amable.");

    private sealed record BotJson(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("twilio_phone_number")] string TwilioPhoneNumber,
        [property: JsonPropertyName("instructions")] string Instructions);

    private sealed record ImportAnswer(
        [property: JsonPropertyName("created")] int Created,
        [property: JsonPropertyName("updated")] int Updated);
}
