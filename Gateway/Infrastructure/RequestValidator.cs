using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;

namespace HorizonAI.Gateway.Infrastructure;

/// <summary>
/// Validates a request document: its DataAnnotations and <see cref="IValidatableObject"/> rules, through the validation
/// info that .NET's minimal-API validation (<c>AddValidation()</c>) generates for it, with each error keyed by the
/// field's JSON path rather than its C# name; and one rule for every document: no text PostgreSQL cannot hold (see
/// <see cref="TextInput"/>), wherever it sits.
/// </summary>
public sealed class RequestValidator(IOptions<ValidationOptions> options)
{
    /// <summary>The errors by JSON path; empty when the document is valid.</summary>
    public async ValueTask<Dictionary<string, string[]>> ValidateAsync(object document, IServiceProvider services, CancellationToken cancellationToken)
    {
        var type = document.GetType();
        var errors = await RunRulesAsync(document, services, key => JsonFieldPath.Of(type, key, JsonBody.Options), cancellationToken);
        FindUnstorableText(JsonBody.Options.GetTypeInfo(type), document, "", errors, depth: 0);
        return Answer(errors);
    }

    /// <summary>
    /// The errors of a form's rules by field, named as its properties are (a Twilio form's fields are named so); empty
    /// when the form is valid. A form's free text is cleaned by whoever reads it, not refused.
    /// </summary>
    public async ValueTask<Dictionary<string, string[]>> ValidateFormAsync(object form, IServiceProvider services, CancellationToken cancellationToken) =>
        Answer(await RunRulesAsync(form, services, key => key, cancellationToken));

    private async ValueTask<Dictionary<string, List<string>>> RunRulesAsync(object document, IServiceProvider services, Func<string, string> fieldOf, CancellationToken cancellationToken)
    {
        var type = document.GetType();
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (options.Value.TryGetValidatableTypeInfo(type, out var info))
        {
            var context = new ValidateContext
            {
                ValidationContext = new ValidationContext(document, services, items: null),
                ValidationOptions = options.Value,
            };
            await info.ValidateAsync(document, context, cancellationToken);
            foreach (var (key, messages) in context.ValidationErrors ?? [])
            {
                Add(errors, fieldOf(key), messages);
            }
        }
        else if (HasRules(type))
        {
            // The generator describes the types handlers take; a document read some other way must be one of them.
            throw new InvalidOperationException($"{type.Name} has validation rules but no validation info: take it as a handler's parameter");
        }

        return errors;
    }

    private static Dictionary<string, string[]> Answer(Dictionary<string, List<string>> errors) =>
        errors.ToDictionary(e => e.Key, e => e.Value.Distinct().ToArray(), StringComparer.Ordinal);

    private static bool HasRules(Type type) =>
        typeof(IValidatableObject).IsAssignableFrom(type) || type.GetProperties().Any(p => p.IsDefined(typeof(ValidationAttribute), inherit: true));

    private static void FindUnstorableText(JsonTypeInfo info, object? value, string path, Dictionary<string, List<string>> errors, int depth)
    {
        if (value is null || depth > JsonBody.Options.MaxDepth)
        {
            return;
        }

        switch (value)
        {
            case string text when !TextInput.IsStorable(text):
                Add(errors, path, [$"{path} contains a NUL character or invalid UTF-16"]);
                return;
            case IDictionary<string, string?> entries:
                if (entries.Any(e => !TextInput.IsStorable(e.Key) || !TextInput.IsStorable(e.Value)))
                {
                    Add(errors, path, [$"{path} contains a NUL character or invalid UTF-16"]);
                }

                return;
        }

        if (info.Kind == JsonTypeInfoKind.Object)
        {
            foreach (var property in info.Properties.Where(p => p.Get is not null))
            {
                var child = property.Get!(value);
                FindUnstorableText(JsonBody.Options.GetTypeInfo(property.PropertyType), child, path is { Length: > 0 } ? $"{path}.{property.Name}" : property.Name, errors, depth + 1);
            }
        }
        else if (info.Kind == JsonTypeInfoKind.Enumerable && value is IEnumerable items)
        {
            var element = JsonBody.Options.GetTypeInfo(info.ElementType!);
            var index = 0;
            foreach (var item in items)
            {
                FindUnstorableText(element, item, $"{path}[{index++}]", errors, depth + 1);
            }
        }
    }

    private static void Add(Dictionary<string, List<string>> errors, string field, IEnumerable<string> messages)
    {
        if (!errors.TryGetValue(field, out var list))
        {
            errors[field] = list = [];
        }

        list.AddRange(messages);
    }
}
