using System.Net.Http.Headers;
using HorizonAI.Gateway;
using HorizonAI.Gateway.Console;
using HorizonAI.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace HorizonAI.Integration.Tests.Console;

/// <summary>
/// A <see cref="SystemFixture"/> whose Gateway can post to itself: the console simulator's "self" client reaches the
/// test server through its in-memory handler, since under WebApplicationFactory there is no socket to post to.
/// </summary>
public sealed class ConsoleGatewayFixture : IAsyncLifetime
{
    private readonly SystemFixture _system = new();

    public TestSystem System => _system.System;

    public WebApplicationFactory<GatewayApp> Gateway { get; private set; } = null!;

    /// <summary>A client of <see cref="Gateway"/> carrying the admin key.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await _system.InitializeAsync();
        Gateway = WithSelfClient(System.Gateway);
        Admin = CreateAdminClient(Gateway);
    }

    public static WebApplicationFactory<GatewayApp> WithSelfClient(WebApplicationFactory<GatewayApp> factory)
    {
        WebApplicationFactory<GatewayApp>? gateway = null;
        gateway = factory.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddHttpClient(SimulatorEndpoints.SelfClient).ConfigurePrimaryHttpMessageHandler(() => gateway!.Server.CreateHandler())));
        return gateway;
    }

    public static HttpClient CreateAdminClient(WebApplicationFactory<GatewayApp> gateway)
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestSystem.AdminKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await Gateway.DisposeAsync();
        await _system.DisposeAsync();
    }
}
