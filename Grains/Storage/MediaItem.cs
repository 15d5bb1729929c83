namespace HorizonAI.Grains.Storage;

/// <summary>One media item of an inbound message, as Twilio announced it: where to fetch it and what it says it is.</summary>
/// <param name="ContentType">Twilio's <c>MediaContentType{N}</c>, lower case; "" when it sent none.</param>
public sealed record MediaItem(string Url, string ContentType)
{
    public static IReadOnlyList<MediaItem> Zip(IReadOnlyList<string> urls, IReadOnlyList<string> types) =>
        [.. urls.Select((url, i) => new MediaItem(url, i < types.Count ? types[i] : ""))];
}
