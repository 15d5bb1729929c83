namespace HorizonAI.Grains.Interfaces;

[GenerateSerializer, Alias("horizonai.receive-outcome")]
public enum ReceiveOutcome
{
    /// <summary>Stored durably; a reply will follow.</summary>
    Accepted,

    /// <summary>This MessageSid was accepted before (a Twilio retry); nothing new happens.</summary>
    Duplicate,

    /// <summary>The bot is disabled: the message is recorded and not answered.</summary>
    RecordedWithoutReply,

    /// <summary>No bot has this number.</summary>
    UnknownBot,
}
