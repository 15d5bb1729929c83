using PhoneNumbers;

namespace HorizonAI.Gateway.Infrastructure;

/// <summary>
/// Normalises the spellings operators and Twilio use (<c>+15551111111</c>, <c>15551111111</c>, <c>%2B1555…</c>,
/// <c>whatsapp:+1555…</c>) to E.164.
/// </summary>
public static class PhoneNumberParser
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// The E.164 form of a number a request's validation has already accepted (<see cref="Validation.PhoneNumberAttribute"/>),
    /// for the documents that hand their numbers on normalised; reading one that was not validated is a bug.
    /// </summary>
    public static string Normalize(string? value) =>
        TryNormalize(value, out var e164) ? e164 : throw new InvalidOperationException("A phone number was read before its document was validated");

    public static bool TryNormalize(string? value, out string e164)
    {
        e164 = "";
        if (string.IsNullOrWhiteSpace(value) || value.Length > 64)
        {
            return false;
        }

        var text = Uri.UnescapeDataString(value.Trim());
        if (text.StartsWith("whatsapp:", StringComparison.OrdinalIgnoreCase))
        {
            text = text["whatsapp:".Length..];
        }

        text = text.Trim();
        if (!text.StartsWith('+'))
        {
            text = "+" + text;
        }

        try
        {
            var number = Util.Parse(text, null);
            if (!Util.IsPossibleNumber(number))
            {
                return false;
            }

            e164 = Util.Format(number, PhoneNumberFormat.E164);
            return true;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }
}
