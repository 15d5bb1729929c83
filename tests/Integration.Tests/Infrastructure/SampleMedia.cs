using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Concentus;
using Concentus.Enums;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>Real media files made for the tests: an Ogg Opus voice note from a real encoder, a PNG, a PDF.</summary>
public static class SampleMedia
{
    /// <summary>
    /// A mono Ogg Opus voice note as WhatsApp sends them: a tone of <paramref name="hertz"/> lasting
    /// <paramref name="seconds"/> (a multiple of 20 ms) encoded by a real Opus encoder (Concentus), in an Ogg container
    /// written here per RFC 7845. Different tones make different files.
    /// </summary>
    public static byte[] VoiceNote(double seconds = 1.5, int hertz = 440)
    {
        const int rate = 48000;
        const int frame = 960; // 20 ms
        const ushort preSkip = 312;
        var samples = (int)Math.Round(rate * seconds / frame) * frame;
        var encoder = OpusCodecFactory.CreateEncoder(rate, 1, OpusApplication.OPUS_APPLICATION_VOIP);
        encoder.Bitrate = 24000;

        using var ogg = new MemoryStream();
        var serial = 0x484f5249; // any number, one stream
        var sequence = 0;
        var head = new byte[19];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1; // version
        head[9] = 1; // channels
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(10), preSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), rate);
        OggPage(ogg, head, 0, serial, sequence++, beginning: true, end: false);
        var vendor = "HorizonAI tests (Concentus)"u8.ToArray();
        var tags = new byte[8 + 4 + vendor.Length + 4];
        "OpusTags"u8.CopyTo(tags);
        BinaryPrimitives.WriteInt32LittleEndian(tags.AsSpan(8), vendor.Length);
        vendor.CopyTo(tags, 12);
        OggPage(ogg, tags, 0, serial, sequence++, beginning: false, end: false);

        var pcm = new short[frame];
        var packet = new byte[1275];
        for (var start = 0; start < samples; start += frame)
        {
            for (var i = 0; i < frame; i++)
            {
                pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * hertz * (start + i) / rate));
            }

            var length = encoder.Encode(pcm, frame, packet, packet.Length);
            OggPage(ogg, packet[..length], preSkip + start + frame, serial, sequence++, beginning: false, end: start + frame >= samples);
        }

        return ogg.ToArray();
    }

    /// <summary>One Ogg page holding one packet (RFC 3533), its CRC computed as Ogg does (polynomial 0x04C11DB7, unreflected).</summary>
    private static void OggPage(Stream ogg, byte[] packet, long granule, int serial, int sequence, bool beginning, bool end)
    {
        var lacing = new List<byte>();
        for (var left = packet.Length; ; left -= 255)
        {
            lacing.Add((byte)Math.Min(left, 255));
            if (left < 255)
            {
                break;
            }
        }

        var page = new byte[27 + lacing.Count + packet.Length];
        "OggS"u8.CopyTo(page);
        page[5] = (byte)((beginning ? 0x02 : 0) | (end ? 0x04 : 0));
        BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(6), granule);
        BinaryPrimitives.WriteInt32LittleEndian(page.AsSpan(14), serial);
        BinaryPrimitives.WriteInt32LittleEndian(page.AsSpan(18), sequence);
        page[26] = (byte)lacing.Count;
        lacing.ToArray().CopyTo(page, 27);
        packet.CopyTo(page, 27 + lacing.Count);
        var crc = 0u;
        foreach (var b in page)
        {
            crc ^= (uint)b << 24;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
        }

        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(22), crc);
        ogg.Write(page);
    }

    /// <summary>A PNG of <paramref name="width"/> × <paramref name="height"/> pixels (RGB gradient); larger sizes make larger files.</summary>
    public static byte[] Png(int width = 32, int height = 32, bool noisy = false)
    {
        var raw = new byte[height * (1 + width * 3)];
        var random = new Random(7);
        for (var y = 0; y < height; y++)
        {
            var row = y * (1 + width * 3);
            raw[row] = 0; // filter: none
            for (var x = 0; x < width; x++)
            {
                var p = row + 1 + x * 3;
                raw[p] = noisy ? (byte)random.Next(256) : (byte)(x * 255 / Math.Max(1, width - 1));
                raw[p + 1] = noisy ? (byte)random.Next(256) : (byte)(y * 255 / Math.Max(1, height - 1));
                raw[p + 2] = 128;
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type: RGB
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A one-page PDF that says <paramref name="text"/>, with a correct cross-reference table.</summary>
    public static byte[] Pdf(string text = "Receta: paracetamol 500 mg")
    {
        var content = $"BT /F1 18 Tf 72 720 Td ({text}) Tj ET";
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            $"<< /Length {content.Length} >>\nstream\n{content}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        };
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append($"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = pdf.Length;
        pdf.Append($"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append($"{offset:D10} 00000 n \n");
        }

        pdf.Append($"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        png.Write(typeBytes);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32([.. typeBytes, .. data]));
        png.Write(number);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return ~crc;
    }
}
