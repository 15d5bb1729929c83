using System.Text.Json;
using System.Text.Json.Nodes;

namespace HorizonAI.Sandbox.Control;

/// <summary>
/// A partial JSON update of settable switches (<c>{"failNext": 2, "retryAfterSeconds": null}</c>): fields left out
/// keep their value, an explicit null clears a nullable one, names match case-insensitively. All or nothing:
/// every field is checked first, and an unknown field is an error so that a typo never silently leaves a switch off.
/// </summary>
internal sealed class SwitchPatch(JsonObject body)
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);
    private readonly List<string> _known = [];
    private readonly List<Action> _updates = [];

    public SwitchPatch Int(string name, Action<int> set, int min = 0, int max = int.MaxValue) =>
        Add(name, nullable: false, node =>
        {
            var value = Ranged(node!.GetValue<int>(), min, max);
            return () => set(value);
        });

    public SwitchPatch NullableInt(string name, Action<int?> set, int min = 0, int max = int.MaxValue) =>
        Add(name, nullable: true, node =>
        {
            int? value = node is null ? null : Ranged(node.GetValue<int>(), min, max);
            return () => set(value);
        });

    public SwitchPatch Bool(string name, Action<bool> set) =>
        Add(name, nullable: false, node =>
        {
            var value = node!.GetValue<bool>();
            return () => set(value);
        });

    public SwitchPatch NullableString(string name, Action<string?> set) =>
        Add(name, nullable: true, node =>
        {
            var value = node?.GetValue<string>();
            return () => set(value);
        });

    /// <summary>Applies every update when no field has an error; the errors otherwise (nothing changed).</summary>
    public IDictionary<string, string[]> TryApply()
    {
        foreach (var (name, _) in body)
        {
            if (!_known.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                _errors[name] = [$"Unknown switch '{name}'; known: {string.Join(", ", _known)}."];
            }
        }

        if (_errors.Count == 0)
        {
            _updates.ForEach(update => update());
        }

        return _errors;
    }

    private SwitchPatch Add(string name, bool nullable, Func<JsonNode?, Action> parse)
    {
        _known.Add(name);
        var field = body.FirstOrDefault(pair => string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase));
        if (field.Key is null)
        {
            return this;
        }

        if (field.Value is null && !nullable)
        {
            _errors[name] = [$"'{name}' cannot be null."];
            return this;
        }

        try
        {
            _updates.Add(parse(field.Value));
        }
        catch (Exception exception) when (exception is FormatException or InvalidOperationException or ArgumentException or JsonException)
        {
            _errors[name] = [$"'{name}': {exception.Message}"];
        }

        return this;
    }

    private static int Ranged(int value, int min, int max) =>
        value >= min && value <= max
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"must be between {min} and {max}");
}
