namespace HorizonAI.Grains.Assistants;

/// <summary>One message of the user as the assistant reads it: its text (a voice note's transcript among it) and its images and files.</summary>
public sealed record UserInput(string Text, IReadOnlyList<Attachment> Attachments)
{
    /// <summary>The id of the message's row (0 when it is not a stored message).</summary>
    public long MessageId { get; init; }

    public static UserInput FromText(string text) => new(text, []);

    /// <summary>The text, and a line naming each attachment: what a history we keep ourselves remembers of it.</summary>
    public string Summary => Attachments.Count == 0
        ? Text
        : string.Join('\n', new[] { Text }.Concat(Attachments.Select(a => $"[{a.Kind.ToString().ToLowerInvariant()}: {a.ContentType}]")).Where(l => l.Length > 0));
}

public enum AttachmentKind
{
    Image,
    Document,
}

/// <summary>An image or a document the user sent, as data the model can read (never a Twilio URL).</summary>
public sealed record Attachment(AttachmentKind Kind, BinaryData Data, string ContentType, string FileName);
