using System.Text.RegularExpressions;
using HorizonAI.Deployment.Tests.Infrastructure;
using k8s.Models;

namespace HorizonAI.Deployment.Tests.Kubernetes;

public sealed partial class SecretTemplateTests
{
    private const string Placeholder = "REPLACE_ME";

    private static ManifestCatalog Catalog => ManifestCatalog.Current;

    private static IEnumerable<V1Secret> AllSecrets =>
        Catalog.Resources.Concat(Catalog.Templates).Concat(Catalog.Patches).Select(m => m.Object).OfType<V1Secret>();

    [Fact]
    public void EverySecretValueIsAPlaceholder()
    {
        var secrets = AllSecrets.ToList();
        Assert.NotEmpty(secrets);

        var real = secrets
            .SelectMany(s => ManifestCatalog.Values(s).Select(v => (secret: s.Metadata.Name, key: v.Key, value: v.Value)))
            .Where(x => !x.value.Contains(Placeholder, StringComparison.Ordinal) || LooksLikeACredential(x.value.Replace(Placeholder, "", StringComparison.Ordinal)))
            .Select(x => $"Secret {x.secret}[{x.key}] holds a value that is not a {Placeholder} placeholder")
            .ToList();

        Assert.Empty(real);
    }

    [Fact]
    public void ThePlaceholderCheckCatchesRealLookingValues()
    {
        Assert.True(LooksLikeACredential("AC" + new string('0', 31) + "f"));
        Assert.True(LooksLikeACredential("sk-proj-abcdefghijklmnopqrstuvwx"));
        Assert.True(LooksLikeACredential("Host=db;Password=9f8e7d6c5b4a39281706f5e4"));
        Assert.False(LooksLikeACredential("Host=;Port=5432;Database=horizonai;Username=horizonai;Password=;SSL Mode=Require"));
    }

    [Fact]
    public void SecretsAreOnlyTemplatesNeverAppliedResources()
    {
        Assert.Empty(Catalog.Resources.Where(m => m.Object is V1Secret).Select(m => $"{m} would be applied by kustomize"));
    }

    [Fact]
    public void TheMainTemplateNamesEveryCredentialOfSpecSection2()
    {
        var template = Catalog.Templates.Select(m => m.Object).OfType<V1Secret>().Single(s => s.Metadata.Name == "horizonai-secrets");

        Assert.Equal(
            ["ADMIN_API_KEY", "DATABASE_URL", "OPENAI_API_KEY", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"],
            ManifestCatalog.Values(template).Keys.Order(StringComparer.Ordinal));
        Assert.NotNull(template.StringData);
    }

    /// <summary>Twilio SIDs, OpenAI keys, or any long run of letters and digits (tokens, passwords, hex keys).</summary>
    private static bool LooksLikeACredential(string value) => CredentialPattern().IsMatch(value);

    [GeneratedRegex(@"AC[0-9a-f]{32}|sk-[A-Za-z0-9_-]{16,}|[A-Za-z0-9+/_-]{20,}")]
    private static partial Regex CredentialPattern();
}
