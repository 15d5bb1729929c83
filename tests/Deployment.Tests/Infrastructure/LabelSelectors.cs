using k8s.Models;

namespace HorizonAI.Deployment.Tests.Infrastructure;

/// <summary>Kubernetes label-selector semantics, for checking which pods a selector picks.</summary>
public static class LabelSelectors
{
    /// <summary>A Service's or a PodDisruptionBudget's plain selector map: every pair must be on the pod.</summary>
    public static bool Matches(IDictionary<string, string>? selector, IDictionary<string, string> labels) =>
        selector is { Count: > 0 } && selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);

    /// <summary>A full <see cref="V1LabelSelector"/>; an empty selector is treated as a mistake, not "everything".</summary>
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string> labels)
    {
        if (selector is null || (selector.MatchLabels is not { Count: > 0 } && selector.MatchExpressions is not { Count: > 0 }))
        {
            return false;
        }

        if (selector.MatchLabels is { Count: > 0 } && !Matches(selector.MatchLabels, labels))
        {
            return false;
        }

        return (selector.MatchExpressions ?? []).All(e => Matches(e, labels));
    }

    private static bool Matches(V1LabelSelectorRequirement requirement, IDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(requirement.Key, out var value);
        var values = requirement.Values ?? [];
        return requirement.OperatorProperty switch
        {
            "In" => present && values.Contains(value!),
            "NotIn" => !present || !values.Contains(value!),
            "Exists" => present,
            "DoesNotExist" => !present,
            _ => throw new Xunit.Sdk.XunitException($"unknown label selector operator '{requirement.OperatorProperty}'"),
        };
    }
}
