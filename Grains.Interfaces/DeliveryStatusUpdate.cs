namespace HorizonAI.Grains.Interfaces;

/// <summary>A Twilio status callback for an outbound message.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.delivery-status-update")]
public sealed record DeliveryStatusUpdate(
    [property: Id(0)] string MessageSid,
    [property: Id(1)] string Status,
    [property: Id(2)] string? ErrorCode);
