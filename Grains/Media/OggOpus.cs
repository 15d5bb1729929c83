using System.Buffers.Binary;

namespace HorizonAI.Grains.Media;

/// <summary>Reads the length of an Ogg Opus stream (a WhatsApp voice note) from its container, without decoding it.</summary>
public static class OggOpus
{
    private const long MaxGranule = 48000L * 60 * 60 * 24;

    /// <summary>
    /// The granule position of the last page (48 kHz samples) less the pre-skip of the OpusHead (RFC 7845), or null
    /// when the bytes are not an Ogg Opus stream.
    /// </summary>
    public static TimeSpan? Duration(ReadOnlySpan<byte> audio)
    {
        var head = audio.IndexOf("OpusHead"u8);
        var last = audio.LastIndexOf("OggS"u8);
        if (!audio.StartsWith("OggS"u8) || head < 0 || head + 12 > audio.Length || last + 14 > audio.Length)
        {
            return null;
        }

        // A file is what a user made it: a granule beyond a day of audio is not a voice note's, so no length.
        var preSkip = BinaryPrimitives.ReadUInt16LittleEndian(audio[(head + 10)..]);
        var granule = BinaryPrimitives.ReadInt64LittleEndian(audio[(last + 6)..]);
        if (granule < 0 || granule > MaxGranule)
        {
            return null;
        }

        return granule <= preSkip ? TimeSpan.Zero : TimeSpan.FromSeconds((granule - preSkip) / 48000.0);
    }
}
