namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>One <see cref="TestSystem"/> shared by a test class; each test uses its own bot and user numbers.</summary>
public class SystemFixture : IAsyncLifetime
{
    private static int _nextNumber = 1000;

    public TestSystem System { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public WebhookClient Webhooks { get; private set; } = null!;

    /// <summary>A number no other test uses (E.164, valid for libphonenumber).</summary>
    public static string NewBotNumber() => "+1555" + Interlocked.Increment(ref _nextNumber).ToString("D7");

    public static string NewUserNumber() => "+5691" + Interlocked.Increment(ref _nextNumber).ToString("D7");

    public virtual async ValueTask InitializeAsync()
    {
        System = await TestSystem.StartAsync(configure: Configure);
        Admin = System.CreateAdminClient();
        Webhooks = new WebhookClient(System.Gateway.CreateClient());
    }

    protected virtual void Configure(Dictionary<string, string?> settings)
    {
    }

    public virtual async ValueTask DisposeAsync()
    {
        Admin.Dispose();
        await System.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
