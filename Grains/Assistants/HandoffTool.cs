using System.Text.Json;
using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Grains.Assistants;

/// <summary>
/// The <c>request_human</c> function the assistant of a bot with <see cref="BotDefinition.HandoffTool"/> is offered:
/// one argument, the reason, which operators and the business's webhook see.
/// </summary>
public static class HandoffTool
{
    public const int MaxReasonLength = 500;

    public static readonly BinaryData Parameters = BinaryData.FromString("""
        {
          "type": "object",
          "properties": {
            "reason": { "type": "string", "description": "Why a person is needed, in a few words, for the staff." }
          },
          "required": ["reason"],
          "additionalProperties": false
        }
        """);

    /// <summary>What the assistant's conversation is told when it next runs, as the call's output.</summary>
    public const string Output = "A person of the staff took over the conversation and has since given it back to you. Continue helping the user.";

    /// <summary>
    /// The output of a <c>request_human</c> call made together with calls of the business's tools: those are answered
    /// at once, and so is this one, and the person takes over after the assistant's answer.
    /// </summary>
    public const string TakeOverOutput = "A person of the staff will take over the conversation after your answer. Tell the user so.";

    /// <summary>The reason in the call's arguments, cut to a length operators can read; a call without one still counts.</summary>
    public static string ReadReason(BinaryData? arguments)
    {
        string? reason = null;
        try
        {
            if (arguments is not null)
            {
                using var json = JsonDocument.Parse(arguments);
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("reason", out var value) && value.ValueKind == JsonValueKind.String)
                {
                    reason = value.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Malformed arguments: the handoff happens all the same.
        }

        reason = string.IsNullOrWhiteSpace(reason) ? "the assistant asked for a person" : reason.Trim();
        return reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason;
    }
}
