using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace HorizonAI.Sandbox;

/// <summary>
/// Media the sandbox serves as Twilio does (<c>/2010-04-01/Accounts/{AC}/Messages/{MM}/Media/{ME}</c>, Basic auth,
/// then a redirect to a short-lived URL on another host), and the transcripts its transcription API gives audio.
/// </summary>
public sealed class SandboxMedia
{
    private readonly ConcurrentDictionary<string, StoredMedia> _items = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _transcripts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<MediaFetch> _fetches = new();
    private readonly ConcurrentQueue<Transcription> _transcriptions = new();

    /// <summary>
    /// Stores <paramref name="data"/> for <paramref name="accountSid"/> and returns its Twilio media URL on
    /// <paramref name="baseUrl"/> (the sandbox's). With <paramref name="transcript"/>, the transcription API answers
    /// that text for these exact bytes.
    /// </summary>
    public string Add(string baseUrl, string accountSid, byte[] data, string contentType, string? transcript = null)
    {
        var messageSid = "MM" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        var mediaSid = "ME" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        _items[mediaSid] = new StoredMedia(accountSid, messageSid, data, contentType);
        if (transcript is not null)
        {
            _transcripts[Hash(data)] = transcript;
        }

        return $"{baseUrl.TrimEnd('/')}/2010-04-01/Accounts/{accountSid}/Messages/{messageSid}/Media/{mediaSid}";
    }

    /// <summary>Every request for media, at Twilio's host and at the media host, in order.</summary>
    public IReadOnlyList<MediaFetch> Fetches => [.. _fetches];

    /// <summary>Every transcription the sandbox answered.</summary>
    public IReadOnlyList<Transcription> Transcriptions => [.. _transcriptions];

    internal StoredMedia? Find(string mediaSid) => _items.GetValueOrDefault(mediaSid);

    internal string? TranscriptFor(byte[] audio) => _transcripts.GetValueOrDefault(Hash(audio));

    internal void Record(MediaFetch fetch) => _fetches.Enqueue(fetch);

    internal void Record(Transcription transcription) => _transcriptions.Enqueue(transcription);

    public void Reset()
    {
        _items.Clear();
        _transcripts.Clear();
        _fetches.Clear();
        _transcriptions.Clear();
    }

    private static string Hash(byte[] data) => Convert.ToHexString(SHA256.HashData(data));
}

internal sealed record StoredMedia(string AccountSid, string MessageSid, byte[] Data, string ContentType);

/// <param name="Stage"><c>"twilio"</c> (the API host) or <c>"cdn"</c> (the host it redirects to).</param>
/// <param name="Authorized">Whether the request carried an Authorization header.</param>
/// <param name="Status">What the sandbox answered.</param>
public sealed record MediaFetch(string Stage, string MediaSid, bool Authorized, int Status);

/// <param name="Model">The requested model.</param>
/// <param name="FileName">The file name of the upload.</param>
/// <param name="Bytes">The upload's size.</param>
/// <param name="Text">The transcript answered.</param>
public sealed record Transcription(string Model, string FileName, int Bytes, string Text);
