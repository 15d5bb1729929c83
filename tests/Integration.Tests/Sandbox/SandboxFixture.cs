using HorizonAI.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace HorizonAI.Integration.Tests.Sandbox;

/// <summary>The sandbox alone, in-process on a free loopback port, for tests of the stand-ins themselves.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private WebApplication? _app;

    public string BaseUrl { get; private set; } = "";

    public SandboxState State => _app!.Services.GetRequiredService<SandboxState>();

    public HttpClient Http { get; private set; } = new();

    public async ValueTask InitializeAsync()
    {
        _app = SandboxServer.Build();
        await _app.StartAsync();
        BaseUrl = _app.BaseUrl();
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
