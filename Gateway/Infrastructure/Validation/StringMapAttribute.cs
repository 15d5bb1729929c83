using System.ComponentModel.DataAnnotations;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>
/// An object of at most <paramref name="maxEntries"/> string values (never null), keys of at most
/// <paramref name="maxKeyLength"/> characters and values of at most <paramref name="maxValueLength"/>. Null passes.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class StringMapAttribute(int maxEntries, int maxKeyLength, int maxValueLength) : ValidationAttribute("{0} must be an object of string values")
{
    public override bool IsValid(object? value) =>
        value is null
        || (value is IReadOnlyDictionary<string, string?> entries
            && entries.Count <= maxEntries
            && entries.All(e => e.Key.Length <= maxKeyLength && e.Value is not null && e.Value.Length <= maxValueLength));
}
