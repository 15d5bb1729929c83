namespace HorizonAI.Grains.Interfaces;

[GenerateSerializer, Alias("horizonai.delivery-status-outcome")]
public enum DeliveryStatusOutcome
{
    /// <summary>The message moved forward to the new status.</summary>
    Updated,

    /// <summary>A repeated or late callback: the message already has this status or a later one.</summary>
    Unchanged,

    /// <summary>No outbound message has this SID.</summary>
    UnknownMessage,
}
