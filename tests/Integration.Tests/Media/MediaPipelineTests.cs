using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Sandbox;

namespace HorizonAI.Integration.Tests.Media;

/// <summary>
/// Media through the real path: a signed webhook with Twilio's media fields, the turn fetching the media from the
/// Twilio stand-in (Basic auth, then a redirect to another host without it), OpenAI's transcription and image input
/// through the SDK, the reply through Twilio, and the transcript in PostgreSQL.
/// </summary>
public sealed class MediaPipelineTests(MediaFixture fixture) : IClassFixture<MediaFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private SandboxState Upstreams => fixture.System.Upstreams;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Upstreams.MediaFaults.Reset();
        Upstreams.OpenAI.Reset();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task AVoiceNoteIsAnsweredFromItsTranscriptAndTheTranscriptIsKept()
    {
        var (bot, user) = await NewBotAsync("Restaurante La Cocina");
        var voiceNote = SampleMedia.VoiceNote(seconds: 1.5, hertz: 262);
        var url = AddMedia(voiceNote, "audio/ogg", transcript: "Quiero reservar una mesa para dos");

        var response = await SendAsync(bot, user, "", (url, "audio/ogg"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = Assert.Single(await RepliesAsync(bot, user, 1));
        Assert.Contains("you said: [voice note] Quiero reservar una mesa para dos", reply.Body, StringComparison.Ordinal);
        var transcription = Assert.Single(Upstreams.Media.Transcriptions, t => t.Text == "Quiero reservar una mesa para dos");
        Assert.Equal(voiceNote.Length, transcription.Bytes);
        Assert.Equal("gpt-4o-mini-transcribe", transcription.Model);
        Assert.EndsWith(".ogg", transcription.FileName, StringComparison.Ordinal);

        // Basic auth at Twilio's host, none at the host it redirects to.
        var mediaSid = url[(url.LastIndexOf('/') + 1)..];
        var fetches = Upstreams.Media.Fetches.Where(f => f.MediaSid == mediaSid).ToList();
        Assert.Equal([("twilio", true, 307), ("cdn", false, 200)], fetches.Select(f => (f.Stage, f.Authorized, f.Status)));

        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered"], Patience);
        var inbound = (await TranscriptAsync(bot, user))[0];
        Assert.Equal("voice note: Quiero reservar una mesa para dos", inbound.GetProperty("media_text").GetString());
        var media = Assert.Single(inbound.GetProperty("media").EnumerateArray());
        Assert.Equal(url, media.GetProperty("url").GetString());
        Assert.Equal("audio/ogg", media.GetProperty("content_type").GetString());
    }

    [Theory]
    [InlineData(null, 0.0333, 24, 0.00024)]             // gpt-4o-mini-transcribe bills tokens: 20 audio + 4 text, at the token price
    [InlineData("whisper-1", 0.0333, 0, 0.0002)]        // whisper-1 bills minutes, at the minute price
    public async Task UsageCountsMediaAndWhatTranscribingCostPerBotAndDay(string? model, double minutes, int tokens, double cost)
    {
        var (bot, user) = await NewBotAsync("Pizzería", new { transcription_model = model });
        var voice = AddMedia(SampleMedia.VoiceNote(seconds: 2.0, hertz: model is null ? 294 : 330), "audio/ogg", transcript: "hola de " + (model ?? "default"));
        var image = AddMedia(SampleMedia.Png(4, 4), "image/png");

        await SendAsync(bot, user, "", (voice, "audio/ogg"), (image, "image/png"));
        await RepliesAsync(bot, user, 1);
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered"], Patience);

        Assert.Equal(model ?? "gpt-4o-mini-transcribe", Assert.Single(Upstreams.Media.Transcriptions, t => t.Text == "hola de " + (model ?? "default")).Model);
        var usage = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/usage");
        var total = usage.GetProperty("total");
        Assert.Equal((1, 1, 0), (total.GetProperty("audio_items").GetInt32(), total.GetProperty("images").GetInt32(), total.GetProperty("documents").GetInt32()));
        Assert.Equal(minutes, total.GetProperty("transcribed_minutes").GetDouble(), 4);
        Assert.Equal(tokens, total.GetProperty("transcription_tokens").GetInt64());
        Assert.Equal(cost, total.GetProperty("transcription_cost_usd").GetDouble(), 6);
        var costs = total.GetProperty("messages_cost_usd").GetDecimal() + total.GetProperty("tokens_cost_usd").GetDecimal()
            + total.GetProperty("number_cost_usd").GetDecimal() + total.GetProperty("transcription_cost_usd").GetDecimal();
        Assert.Equal(costs, total.GetProperty("estimated_cost_usd").GetDecimal());
    }

    [Fact]
    public async Task AVoiceNoteWithoutARegisteredTranscriptIsStillTranscribedFromTheRealAudio()
    {
        // The stand-in reads the Ogg Opus stream down to its duration: the file is a real voice note.
        var (bot, user) = await NewBotAsync("Farmacia");
        var url = AddMedia(SampleMedia.VoiceNote(seconds: 2.0, hertz: 349), "audio/ogg");

        await SendAsync(bot, user, "", (url, "audio/ogg"));

        var reply = Assert.Single(await RepliesAsync(bot, user, 1));
        Assert.Contains("[voice note] (sandbox transcript of 2.0 s of ogg audio)", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnImageAndAPdfReachTheModelAsDataNotAsTwilioUrls()
    {
        var (bot, user) = await NewBotAsync("Tienda");
        var png = SampleMedia.Png();
        var pdf = SampleMedia.Pdf();
        var imageUrl = AddMedia(png, "image/png");
        var pdfUrl = AddMedia(pdf, "application/pdf");

        await SendAsync(bot, user, "¿Tienen esto?", (imageUrl, "image/png"), (pdfUrl, "application/pdf"));

        var reply = Assert.Single(await RepliesAsync(bot, user, 1));
        Assert.Contains($"¿Tienen esto?\n[image image/png {png.Length} bytes png]\n[file document-2.pdf application/pdf {pdf.Length} bytes pdf]",
            reply.Body, StringComparison.Ordinal);
        var request = Assert.Single(Upstreams.OpenAIRequests, r => r.InputText.Contains("¿Tienen esto?", StringComparison.Ordinal));
        Assert.DoesNotContain("/Media/", request.InputText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOversizedImageGetsTheBotsAnswerAndItsReasonIsKept()
    {
        var (bot, user) = await NewBotAsync("Óptica", new { unreadable_media_message = "No puedo abrir ese archivo, ¿me lo describes?" });
        var big = SampleMedia.Png(256, 256, noisy: true);
        Assert.True(big.Length > MediaFixture.MaxImageBytes);
        var url = AddMedia(big, "image/png");

        await SendAsync(bot, user, "", (url, "image/png"));

        var reply = Assert.Single(await RepliesAsync(bot, user, 1));
        Assert.Equal("No puedo abrir ese archivo, ¿me lo describes?", reply.Body);
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered"], Patience);
        Assert.DoesNotContain(Upstreams.OpenAIRequests, r => r.InputText.Contains("image/png", StringComparison.Ordinal) && r.InputText.Contains($"{big.Length} bytes", StringComparison.Ordinal));
        var inbound = (await TranscriptAsync(bot, user))[0];
        Assert.Contains("image (image/png) not read: too large", inbound.GetProperty("media_text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnsupportedFileIsNamedInTheReplyAndTheTextBesideItIsAnswered()
    {
        var (bot, user) = await NewBotAsync("Ferretería");
        var url = AddMedia([0x50, 0x4B, 0x03, 0x04, 0, 0], "application/zip");

        await SendAsync(bot, user, "mira la lista", (url, "application/zip"));

        var replies = await RepliesAsync(bot, user, 2);
        Assert.StartsWith("Sorry, I can't read this kind of file.", replies[0].Body, StringComparison.Ordinal);
        Assert.Contains("you said: mira la lista", replies[1].Body, StringComparison.Ordinal);
        // An unsupported type is never fetched.
        Assert.DoesNotContain(Upstreams.Media.Fetches, f => url.EndsWith(f.MediaSid, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMediaFetchThatFailsTransientlyIsRetriedAndAnsweredOnce()
    {
        var (bot, user) = await NewBotAsync("Panadería");
        var png = SampleMedia.Png(8, 8);
        var url = AddMedia(png, "image/png");
        Upstreams.MediaFaults.FailStatus = 503;
        Upstreams.MediaFaults.FailNext = 2;

        await SendAsync(bot, user, "foto", (url, "image/png"));

        var reply = Assert.Single(await RepliesAsync(bot, user, 1));
        Assert.Contains($"[image image/png {png.Length} bytes png]", reply.Body, StringComparison.Ordinal);
        var mediaSid = url[(url.LastIndexOf('/') + 1)..];
        Assert.Contains(Upstreams.Media.Fetches, f => f.MediaSid == mediaSid && f.Stage == "cdn" && f.Status == 200);
        Assert.Equal(0, Upstreams.MediaFaults.FailNext);
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered"], Patience);
        Assert.Single(Upstreams.RepliesTo(user));
    }

    [Fact]
    public async Task AnImageTheModelRefusesCostsTheUserOnlyThatImageNotTheAnswerToTheText()
    {
        // Declared a PNG, but no image at all: OpenAI refuses the whole request with 400 for such a file.
        var (bot, user) = await NewBotAsync("Regalos");
        var url = AddMedia([0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08], "image/png");

        await SendAsync(bot, user, "¿y este modelo?", (url, "image/png"));

        var replies = await RepliesAsync(bot, user, 2);
        Assert.StartsWith("Sorry, I can't read this kind of file.", replies[0].Body, StringComparison.Ordinal);
        Assert.EndsWith("you said: ¿y este modelo?", replies[1].Body, StringComparison.Ordinal);
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered"], Patience);
    }

    [Fact]
    public async Task MediaWithoutADeclaredTypeIsFetchedAndReadAsWhatItIs()
    {
        var (bot, user) = await NewBotAsync("Mueblería");
        var png = SampleMedia.Png(5, 5);
        var url = AddMedia(png, "image/png");

        await SendAsync(bot, user, "", (url, ""));

        var reply = Assert.Single(await RepliesAsync(bot, user, 1));
        Assert.Contains($"[image image/png {png.Length} bytes png]", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MediaTwilioNoLongerHasIsAnsweredAsUnreadable()
    {
        var (bot, user) = await NewBotAsync("Librería");
        var url = AddMedia(SampleMedia.Png(4, 4), "image/png");
        var gone = url[..(url.LastIndexOf('/') + 1)] + "ME" + new string('0', 32);

        await SendAsync(bot, user, "", (gone, "image/png"));

        var reply = Assert.Single(await RepliesAsync(bot, user, 1));
        Assert.StartsWith("Sorry, I can't read this kind of file.", reply.Body, StringComparison.Ordinal);
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered"], Patience);
        Assert.Contains("Twilio no longer has it (404)", (await TranscriptAsync(bot, user))[0].GetProperty("media_text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVoiceNoteWhoseTranscriptionFailsOnceIsTranscribedOnTheRetry()
    {
        var (bot, user) = await NewBotAsync("Veterinaria");
        var voiceNote = SampleMedia.VoiceNote(1.0, hertz: 392);
        var url = AddMedia(voiceNote, "audio/ogg", transcript: "mi perro no come");
        Upstreams.OpenAI.FailStatus = 500;
        Upstreams.OpenAI.FailNext = 1;

        await SendAsync(bot, user, "", (url, "audio/ogg"));

        var reply = Assert.Single(await RepliesAsync(bot, user, 1));
        Assert.Contains("[voice note] mi perro no come", reply.Body, StringComparison.Ordinal);
        Assert.Equal(0, Upstreams.OpenAI.FailNext);
        Assert.Single(Upstreams.Media.Transcriptions, t => t.Text == "mi perro no come");
    }

    [Fact]
    public async Task AMediaLineInTheAnswerIsSentAsAMediaMessageInItsPlaceAndKeptInTheTranscript()
    {
        // The sandbox assistant echoes the user's lines, so this answer ends with a line that is only a Markdown image.
        var (bot, user) = await NewBotAsync("Restaurante con menú");
        const string menu = "https://cdn.example.com/menu-del-dia.pdf";

        await SendAsync(bot, user, $"¿me mandas el menú?\n![Menú del día]({menu})");

        var replies = await RepliesAsync(bot, user, 2);
        Assert.Contains("you said: ¿me mandas el menú?", replies[0].Body, StringComparison.Ordinal);
        Assert.Empty(replies[0].MediaUrls);
        Assert.Equal(("Menú del día", menu), (replies[1].Body, Assert.Single(replies[1].MediaUrls)));
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered"], Patience);
        var outbound = (await TranscriptAsync(bot, user))[2];
        Assert.Equal(menu, Assert.Single(outbound.GetProperty("media").EnumerateArray()).GetProperty("url").GetString());
    }

    [Fact]
    public async Task MediaInABurstWithTextKeepsTheOrderTheUserSentItIn()
    {
        var (bot, user) = await NewBotAsync("Floristería");
        var png = SampleMedia.Png(4, 4);
        var voice = AddMedia(SampleMedia.VoiceNote(1.0, hertz: 440), "audio/ogg", transcript: "segundo");
        var image = AddMedia(png, "image/png");

        // Each acknowledged before the next is sent, as Twilio does for one sender.
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(bot, user, "primero")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(bot, user, "", (voice, "audio/ogg"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(bot, user, "tercero", (image, "image/png"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(bot, user, "cuarto")).StatusCode);

        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered", "answered", "answered", "answered"], Patience);
        var said = string.Join("\n", Upstreams.RepliesTo(user).Select(r => r.Body));
        var positions = new[] { "primero", "[voice note] segundo", "tercero", $"[image image/png {png.Length} bytes png]", "cuarto" }
            .Select(text => said.IndexOf(text, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
    }

    /// <summary>The replies to <paramref name="user"/>; on a timeout, the failure says what the message log holds.</summary>
    private async Task<List<SentMessage>> RepliesAsync(string bot, string user, int count)
    {
        try
        {
            return await Upstreams.WaitForRepliesToAsync(user, count, Patience);
        }
        catch (TimeoutException ex)
        {
            var rows = await fixture.System.Database.QueryAsync(
                "select direction, status, error_code, error_message, media_text from messages where bot_id = (select id from bots where phone_number = @bot) order by id", ("bot", bot));
            throw new TimeoutException(ex.Message + "; the log: " + string.Join("; ", rows.Select(r => string.Join(", ", r.Values))), ex);
        }
    }

    private async Task<(string Bot, string User)> NewBotAsync(string instructions, object? extra = null)
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, instructions, extra);
        return (bot, SystemFixture.NewUserNumber());
    }

    private string AddMedia(byte[] data, string contentType, string? transcript = null) => fixture.System.AddMedia(data, contentType, transcript);

    private Task<HttpResponseMessage> SendAsync(string bot, string user, string body, params (string Url, string ContentType)[] media) =>
        fixture.Webhooks.SendWithMediaAsync(bot, user, body, media);

    private Task<List<JsonElement>> TranscriptAsync(string bot, string user) => fixture.Admin.TranscriptItemsAsync(bot, user);
}
