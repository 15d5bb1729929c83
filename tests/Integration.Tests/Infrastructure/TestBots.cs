using System.Net.Http.Json;

namespace HorizonAI.Integration.Tests.Infrastructure;

public static class TestBots
{
    public static async Task CreateAsync(HttpClient admin, string number, string instructions, object? extra = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = "Bot " + number,
            ["twilio_phone_number"] = number,
            ["instructions"] = instructions,
        };
        if (extra is not null)
        {
            foreach (var property in extra.GetType().GetProperties())
            {
                body[property.Name] = property.GetValue(extra);
            }
        }

        var response = await admin.PostAsJsonAsync("/bots", body);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating bot {number} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
