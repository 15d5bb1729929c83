namespace HorizonAI.Sandbox.Control;

/// <summary>The status-callback settings, as JSON; the token itself is never echoed.</summary>
internal sealed record TwilioSettings(bool SendStatusCallbacks, bool HasTwilioAuthToken, int? StatusCallbackErrorCode, bool EnforceWindow, int? SenderRatePerSecond);
