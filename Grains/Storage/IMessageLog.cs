using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Grains.Storage;

/// <summary>
/// Every inbound and outbound message with its Twilio SID, status, error and tokens. Transcripts, usage and status
/// callbacks read and write it.
/// </summary>
public interface IMessageLog
{
    /// <summary>Logs an inbound message once; returns false when this MessageSid was already logged for the bot.</summary>
    Task<bool> RecordInboundAsync(InboundMessage message, string status, CancellationToken cancellationToken = default);

    Task<bool> InboundExistsAsync(string botNumber, string messageSid, CancellationToken cancellationToken = default);

    /// <summary>Sets the outcome of inbound messages once their turn is over (answered or failed).</summary>
    Task MarkInboundAsync(string botNumber, IReadOnlyCollection<string> messageSids, string status, string? errorCode, string? errorMessage, CancellationToken cancellationToken = default);

    /// <summary>
    /// Logs one reply part once, applying a delivery status that was reported before the part was logged, and, with
    /// a <paramref name="settlement"/>, sets the outcome of the inbound messages it answers in the same write.
    /// </summary>
    Task RecordOutboundAsync(OutboundRecord record, InboundSettlement? settlement = null, CancellationToken cancellationToken = default);

    /// <summary>Whether every one of these inbound messages has its outcome (answered or failed).</summary>
    Task<bool> AreSettledAsync(string botNumber, IReadOnlyCollection<string> messageSids, CancellationToken cancellationToken = default);

    /// <summary>Moves an outbound message forward to <paramref name="update"/>'s status; never backwards.</summary>
    Task<DeliveryStatusOutcome> RecordDeliveryStatusAsync(DeliveryStatusUpdate update, CancellationToken cancellationToken = default);

    Task<int> DeleteConversationAsync(string botNumber, string userNumber, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<string>> ListUsersAsync(string botNumber, CancellationToken cancellationToken = default);
}
