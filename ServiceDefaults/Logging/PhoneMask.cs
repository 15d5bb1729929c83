namespace HorizonAI.ServiceDefaults.Logging;

/// <summary>End users' numbers appear in logs by their last four digits only.</summary>
public static class PhoneMask
{
    public static string Mask(string? number)
    {
        if (string.IsNullOrEmpty(number))
        {
            return "****";
        }

        var digits = number.Where(char.IsAsciiDigit).ToArray();
        return digits.Length <= 4 ? "****" : "***" + new string(digits[^4..]);
    }
}
