using System.Text;
using System.Text.RegularExpressions;

namespace HorizonAI.Grains.Messaging;

/// <summary>
/// Turns an assistant's answer into WhatsApp messages. A line that is only a Markdown image,
/// <c>![caption](https://…/menu.pdf)</c>, becomes a message of its own carrying that URL as its media (one media
/// item per WhatsApp message) with the caption as its text (a caption over WhatsApp's 1,024 characters goes as text
/// just before it); the text around it is split as usual, and the order of the answer is kept. The URL must be
/// public: Twilio fetches it.
/// </summary>
public static partial class ReplyComposer
{
    /// <summary>WhatsApp's limit for a media caption.</summary>
    public const int MaxCaptionLength = 1024;

    public static IReadOnlyList<ReplyPart> Compose(string answer)
    {
        var parts = new List<ReplyPart>();
        var text = new StringBuilder();
        void FlushText()
        {
            parts.AddRange(Text(text.ToString()));
            text.Clear();
        }

        foreach (var line in answer.Split('\n'))
        {
            var media = MediaLine().Match(line);
            if (media.Success && Uri.TryCreate(media.Groups["url"].Value, UriKind.Absolute, out _))
            {
                FlushText();
                // A caption too long for WhatsApp goes as text before its media, never cut (nor mid-character).
                var caption = media.Groups["caption"].Value.Trim();
                if (caption.Length > MaxCaptionLength)
                {
                    text.Append(caption);
                    FlushText();
                    caption = "";
                }

                parts.Add(new ReplyPart(caption, media.Groups["url"].Value));
                continue;
            }

            text.Append(line).Append('\n');
        }

        FlushText();
        return parts;
    }

    /// <summary>Plain text (a configured message: the fallback, a confirmation), split to Twilio's size; no media lines.</summary>
    public static IReadOnlyList<ReplyPart> Text(string text) => [.. ReplySplitter.Split(text).Select(body => new ReplyPart(body))];

    /// <summary>An operator's message: its text split to size, and its media with the text as the caption when it fits one.</summary>
    public static IReadOnlyList<ReplyPart> ComposeOperatorMessage(string text, string? mediaUrl)
    {
        text = text.Trim();
        if (mediaUrl is null)
        {
            return Text(text);
        }

        return text.Length <= MaxCaptionLength
            ? [new ReplyPart(text, mediaUrl)]
            : [.. Text(text), new ReplyPart("", mediaUrl)];
    }

    [GeneratedRegex(@"^\s*!\[(?<caption>[^\]\n]*)\]\((?<url>https?://[^\s()<>]+)\)\s*$")]
    private static partial Regex MediaLine();
}
