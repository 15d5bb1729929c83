using System.Net;
using System.Text;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Security;

/// <summary>
/// A seeded fuzz pass over both webhooks and the admin API: malformed and random forms, huge fields, invalid UTF-8,
/// wrong signatures, replayed signatures with altered fields, malformed JSON, injection strings and wrong types.
/// Never a 5xx, and nothing stored from a rejected request.
/// </summary>
public sealed class HostileInputTests(FuzzFixture fixture, ITestOutputHelper output) : IClassFixture<FuzzFixture>
{
    private static readonly string[] Nasty =
    [
        "'; drop table bots; --", "\" OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://x}", "{{7*7}}", "../../etc/passwd",
        "\u0000", "\ud800", "\udfff\ud800", "%00", "%", "+", "whatsapp:", "whatsapp:+", "+1", "+999999999999999999999",
        new string('9', 5000), "😀", "Ω≈ç√∫", "\r\n\r\n", "null", "true", "-1", "1e400", "NaN", "",
    ];

    // The in-memory test server refuses to even send a path that decodes to a NUL (Kestrel answers such a path 400).
    private static readonly string[] NastyPaths = [.. Nasty.Where(n => !n.Contains('\0', StringComparison.Ordinal))];

    [Fact]
    public async Task FuzzedWebhooksNeverFailWithA5xxAndRejectedOnesStoreNothing()
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Fuzz");
        var http = fixture.System.Gateway.CreateClient();
        var random = new Random(20261126);
        var cases = 0;
        var acceptedSids = new HashSet<string>();
        var rejectedSids = new HashSet<string>();

        for (var i = 0; i < 400; i++)
        {
            var sid = $"SMfuzz{i:D6}{random.Next():x8}";
            var fields = WebhookClient.Inbound(bot, SystemFixture.NewUserNumber(), "hola", sid);
            var path = random.Next(4) == 0 ? "/webhook/status" : "/webhook/whatsapp";
            var mutation = random.Next(10);
            switch (mutation)
            {
                case 0: fields[Pick(random, fields.Keys)] = Pick(random, Nasty); break;
                case 1: fields.Remove(Pick(random, fields.Keys)); break;
                case 2: fields["Body"] = new string((char)random.Next(32, 0x2FFF), random.Next(1, 60_000)); break;
                case 3: fields["X" + random.Next()] = Pick(random, Nasty); break;
                case 4: fields["To"] = Pick(random, Nasty); break;
                case 5: fields["From"] = Pick(random, Nasty); break;
                default: break;
            }

            var signing = random.Next(6);
            var url = "http://localhost" + path;
            var signature = signing switch
            {
                0 => "",
                1 => "not-base64!!",
                2 => TwilioSigner.Sign("wrong-token", url, fields),
                3 => TwilioSigner.Sign(TestSystem.AuthToken, url, fields.Where(f => f.Key != "Body")),
                _ => TwilioSigner.Sign(TestSystem.AuthToken, url, fields),
            };

            HttpResponseMessage response;
            var style = random.Next(8);
            var request = new HttpRequestMessage(HttpMethod.Post, path);
            if (style == 0)
            {
                var bytes = new byte[random.Next(0, 4096)];
                random.NextBytes(bytes);
                request.Content = new ByteArrayContent(bytes);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");
            }
            else if (style == 1)
            {
                request.Content = new StringContent("MessageSid=" + sid + "&Body=%C3%28%ED%A0%80%FF&To=whatsapp%3A" + Uri.EscapeDataString(bot) + "&From=whatsapp%3A%2B56912345678", Encoding.ASCII, "application/x-www-form-urlencoded");
            }
            else if (style == 2)
            {
                request.Content = new StringContent("{\"MessageSid\":\"" + sid + "\"}", Encoding.UTF8, "application/json");
            }
            else
            {
                request.Content = new FormUrlEncodedContent(fields);
            }

            if (signature.Length > 0 || random.Next(2) == 0)
            {
                request.Headers.TryAddWithoutValidation("X-Twilio-Signature", signature);
            }

            response = await http.SendAsync(request);
            cases++;
            Assert.True((int)response.StatusCode < 500, $"case {i} ({path}, mutation {mutation}, signing {signing}, style {style}) answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            if (path == "/webhook/whatsapp")
            {
                (response.StatusCode == HttpStatusCode.OK ? acceptedSids : rejectedSids).Add(sid);
            }
        }

        // An accepted message is kept in its conversation at once; its row in the message log follows the
        // acknowledgement, so wait for the rows of every accepted one before looking for rows of rejected ones.
        var acceptedFuzz = acceptedSids.Where(s => s.StartsWith("SMfuzz", StringComparison.Ordinal)).ToHashSet();
        var stored = await Eventually.WaitAsync(
            async () => (await fixture.System.Database.QueryAsync("select twilio_sid from messages where direction = 'inbound'"))
                .Select(r => (string)r["twilio_sid"]!).ToHashSet(),
            rows => acceptedFuzz.IsSubsetOf(rows), TimeSpan.FromSeconds(30), "the log rows of every accepted message");
        Assert.Empty(rejectedSids.Intersect(stored));
        Assert.Subset(stored, acceptedFuzz);
        Assert.True(acceptedSids.Count > 20, $"only {acceptedSids.Count} fuzzed webhooks were valid enough to accept");
        output.WriteLine($"{cases} webhook cases: {acceptedSids.Count} accepted, {rejectedSids.Count} rejected on /webhook/whatsapp");
    }

    [Fact]
    public async Task FuzzedAdminRequestsNeverFailWithA5xxAndRejectedBotsAreNotStored()
    {
        var random = new Random(424242);
        var cases = 0;
        var created = new HashSet<string>();
        var attempted = new HashSet<string>();
        for (var i = 0; i < 300; i++)
        {
            var number = SystemFixture.NewBotNumber();
            attempted.Add(number);
            var fields = new Dictionary<string, string>
            {
                ["name"] = Json("Bot " + i),
                ["twilio_phone_number"] = Json(number),
                ["instructions"] = Json("Eres asistente"),
                ["enabled"] = "true",
                ["debounce_ms"] = "0",
                ["metadata"] = "{\"cliente\":\"A\"}",
            };
            var key = Pick(random, fields.Keys);
            fields[key] = random.Next(6) switch
            {
                0 => Json(Pick(random, Nasty)),
                1 => Pick(random, ["1", "true", "[]", "{}", "null", "-99999999999999999999", "1.5", "\"x\""]),
                2 => "{\"a\":" + string.Concat(Enumerable.Repeat("[", random.Next(1, 100))) + "1" + string.Concat(Enumerable.Repeat("]", random.Next(0, 100))) + "}",
                3 => Json(new string('x', random.Next(1, 300_000))),
                _ => fields[key],
            };
            var body = "{" + string.Join(",", fields.Select(f => $"\"{f.Key}\":{f.Value}")) + "}";
            if (random.Next(10) == 0)
            {
                body = body[..random.Next(body.Length)];
            }

            var target = random.Next(5);
            var response = target switch
            {
                0 => await fixture.Admin.PutAsync($"/bots/{Uri.EscapeDataString(Pick(random, NastyPaths))}", Content(body)),
                1 => await fixture.Admin.PostAsync("/bots/import", Content("[" + body + "]")),
                2 => await fixture.Admin.GetAsync($"/bots/{Uri.EscapeDataString(Pick(random, NastyPaths))}/usage?from={Uri.EscapeDataString(Pick(random, Nasty))}&to=2026-01-01"),
                3 => await fixture.Admin.GetAsync($"/bots/{number}/conversations/{Uri.EscapeDataString(Pick(random, NastyPaths))}?limit={Uri.EscapeDataString(Pick(random, Nasty))}"),
                _ => await fixture.Admin.PostAsync("/bots", Content(body)),
            };
            cases++;
            Assert.True((int)response.StatusCode < 500, $"admin case {i} (target {target}) answered {(int)response.StatusCode}: {body[..Math.Min(200, body.Length)]}");
            if (response.StatusCode == HttpStatusCode.Created || (target == 1 && (await response.Content.ReadAsStringAsync()).Contains("\"created\":1", StringComparison.Ordinal)))
            {
                created.Add(number);
            }
        }

        var stored = (await fixture.System.Database.QueryAsync("select phone_number from bots")).Select(r => (string)r["phone_number"]!).ToHashSet();
        var fuzzNumbers = stored.Where(n => !n.StartsWith("+1555", StringComparison.Ordinal) || created.Contains(n)).ToHashSet();
        Assert.Subset(created, fuzzNumbers);

        // Of the numbers this test tried, exactly those whose request succeeded are stored.
        Assert.Equal(created.Order(StringComparer.Ordinal), stored.Intersect(attempted).Order(StringComparer.Ordinal));
        Assert.True(created.Count > 10, $"only {created.Count} fuzzed bots were valid enough to create");
        Assert.Equal(0, await fixture.System.Database.ScalarAsync<long>("select count(*) from bots where name like '%drop table%' and phone_number not in (select unnest(@n::text[]))", ("n", created.ToArray())));
        output.WriteLine($"{cases} admin cases: {created.Count} bots created");
    }

    private static StringContent Content(string body) => new(body, Encoding.UTF8, "application/json");

    private static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    private static T Pick<T>(Random random, IEnumerable<T> items)
    {
        var list = items as IList<T> ?? items.ToList();
        return list[random.Next(list.Count)];
    }
}
