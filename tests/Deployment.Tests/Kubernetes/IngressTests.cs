using HorizonAI.Deployment.Tests.Infrastructure;
using k8s.Models;

namespace HorizonAI.Deployment.Tests.Kubernetes;

public sealed class IngressTests
{
    private static ManifestCatalog Catalog => ManifestCatalog.Current;

    private static V1Ingress Ingress => Catalog.Single<V1Ingress>(AppContainers.GatewayDeployment);

    [Fact]
    public void TheWebhookHostIsServedOverTlsFromCertManager()
    {
        var hosts = Ingress.Spec.Rules.Select(r => r.Host).ToList();

        Assert.NotEmpty(hosts);
        Assert.All(hosts, h => Assert.Contains(Ingress.Spec.Tls, t => t.Hosts.Contains(h) && !string.IsNullOrEmpty(t.SecretName)));
        Assert.True(Ingress.Metadata.Annotations?.TryGetValue("cert-manager.io/cluster-issuer", out var issuer) == true && !string.IsNullOrWhiteSpace(issuer), "the Ingress names no cert-manager ClusterIssuer");
    }

    [Fact]
    public void PublicBaseUrlIsTheIngressHost()
    {
        // Twilio signs the URL it calls; the gateway rebuilds that URL from PUBLIC_BASE_URL. Another host, and every
        // webhook is refused with 403.
        var publicBaseUrl = new Uri(Catalog.Single<V1ConfigMap>("horizonai-config").Data["PUBLIC_BASE_URL"]);

        Assert.Equal(Uri.UriSchemeHttps, publicBaseUrl.Scheme);
        Assert.Contains(publicBaseUrl.Host, Ingress.Spec.Rules.Select(r => r.Host));
    }

    [Fact]
    public void TheWebhookPathReachesTheGatewaysHttpPort()
    {
        var rule = Assert.Single(Ingress.Spec.Rules);
        var path = rule.Http.Paths.Single(p => "/webhook/whatsapp".StartsWith(p.Path, StringComparison.Ordinal));
        Assert.Equal("Prefix", path.PathType);

        var service = Catalog.Single<V1Service>(path.Backend.Service.Name);
        var port = service.Spec.Ports.Single(p => p.Name == path.Backend.Service.Port.Name || p.Port == path.Backend.Service.Port.Number);
        var gateway = Catalog.Workload("Deployment", AppContainers.GatewayDeployment);

        Assert.True(LabelSelectors.Matches(service.Spec.Selector, gateway.PodLabels), $"the Ingress sends webhooks to Service {service.Metadata.Name}, which does not select the gateways");
        Assert.Contains(gateway.Container("gateway").Ports, p => p.Name == port.TargetPort.Value && p.ContainerPort == 8080);
    }
}
