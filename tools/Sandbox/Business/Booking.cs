namespace HorizonAI.Sandbox.Business;

/// <summary>A table the demo restaurant booked, once per <c>Idempotency-Key</c>.</summary>
public sealed record Booking(string BookingId, string IdempotencyKey, int People, string Time, string? Name, DateTimeOffset BookedAt);
