using System.ClientModel;
using System.ClientModel.Primitives;
using HorizonAI.Grains.Access;
using HorizonAI.Grains.Assistants;
using HorizonAI.Grains.Campaigns;
using HorizonAI.Grains.Conversations;
using HorizonAI.Grains.Knowledge;
using HorizonAI.Grains.Recovery;
using HorizonAI.Storage.Hosting;
using Orleans.Configuration;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Webhooks;
using HorizonAI.Grains.Media;
using HorizonAI.Grains.Storage;
using HorizonAI.Grains.Tools;
using HorizonAI.Grains.WhatsApp;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Hosting;
using HorizonAI.ServiceDefaults.Outbound;
using Microsoft.Extensions.Configuration;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenAI.Conversations;
using OpenAI.Responses;
using Twilio.Clients;

namespace HorizonAI.Grains.Hosting;

public static class GrainServiceExtensions
{
    public const string OpenAIHttpClient = "openai";
    public const string TwilioHttpClient = "twilio";

    /// <summary>Everything the grains need: our tables, the OpenAI assistant and the Twilio sender.</summary>
    public static IServiceCollection AddHorizonGrainServices(this IServiceCollection services)
    {
        services.AddSettings(OpenAIOptions.From, new OpenAIOptionsValidator());
        services.AddSettings(TwilioOptions.From, new TwilioOptionsValidator());
        // The silo sends the replies, and Twilio's REST API takes the account as well as the token.
        services.AddOptions<TwilioOptions>().Validate(twilio => twilio.AccountSid is not null, TwilioOptions.AccountSidMissing);
        services.AddSettings(UpstreamOptions.From, new UpstreamOptionsValidator());
        services.TryAddSingleton<HorizonMetrics>();
        services.AddHorizonExceptionSerialization();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSettings(RecoveryOptions.From, new RecoveryOptionsValidator());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, InboxSweepStartup>();

        // The sweep's reminders tick more often than Orleans' default one-minute floor allows.
        services.AddOptions<ReminderOptions>().Configure<IOptions<RecoveryOptions>>((reminders, recovery) =>
        {
            var sweep = TimeSpan.FromSeconds(recovery.Value.SweepSeconds);
            if (sweep < reminders.MinimumReminderPeriod)
            {
                reminders.MinimumReminderPeriod = sweep;
            }
        });

        services.AddHorizonMessageWriter();
        services.AddSingleton<IBotStore, BotStore>();
        services.AddSingleton<IMessageStore, PostgresMessageStore>();
        services.AddSingleton<IMessageLogQueries, MessageLogQueries>();
        services.AddSingleton<IAccessStore, PostgresAccessStore>();
        services.AddSingleton<ICampaignStore, PostgresCampaignStore>();

        services.AddSettings(AuditOptions.From, new AuditOptionsValidator());
        services.AddSettings(OutboundOptions.From, new OutboundOptionsValidator());
        services.AddHostedService<AuditPruner>();
        services.AddHostedService<Retention.RetentionSweeper>();

        services.AddSingleton<AssistantTurns>();
        services.AddSingleton<DurableWrite>();
        services.AddSingleton<OptOutRule>();
        services.AddSingleton<HandoffDesk>();
        services.AddSingleton<ControlKeywords>();
        services.AddSingleton<OperatorMessages>();

        // The clients' own request logging is off: every outcome is logged once, by the grain, with the bot's number.
        var openAIPipeline = services.AddHttpClient(OpenAIHttpClient, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .AddStandardResilienceHandler();
        services.AddOptions<HttpStandardResilienceOptions>(openAIPipeline.PipelineName).Configure<IServiceProvider>(UpstreamResilience.Configure);
        services.AddSingleton(sp => new ResponsesClient(
            OpenAIKey(sp), OnOurPipeline(sp, new ResponsesClientOptions { Endpoint = OpenAIEndpoint(sp) })));
        services.AddSingleton(sp => new ConversationClient(
            OpenAIKey(sp), OnOurPipeline(sp, new ConversationClientOptions { Endpoint = OpenAIEndpoint(sp) })));
        services.AddSingleton(sp => new OpenAI.OpenAIClient(
            OpenAIKey(sp), OnOurPipeline(sp, new OpenAI.OpenAIClientOptions { Endpoint = OpenAIEndpoint(sp) })));
        services.AddSingleton<ResponsesAssistant>();
        services.AddSingleton<ChatCompletionsAssistant>();
        services.AddSingleton<IAssistant>(sp => sp.GetRequiredService<IOptions<OpenAIOptions>>().Value.Api == OpenAIOptions.ChatCompletionsApi
            ? sp.GetRequiredService<ChatCompletionsAssistant>()
            : sp.GetRequiredService<ResponsesAssistant>());

        services.AddTransient(sp => new TwilioBaseUrlHandler(new Uri(sp.GetRequiredService<IOptions<TwilioOptions>>().Value.ApiBaseUrl)));
        var twilioPipeline = services.AddHttpClient(TwilioHttpClient, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .RemoveAllLoggers()
            .AddHttpMessageHandler<TwilioBaseUrlHandler>()
            .AddStandardResilienceHandler();
        services.AddOptions<HttpStandardResilienceOptions>(twilioPipeline.PipelineName).Configure<IServiceProvider>(UpstreamResilience.Configure);
        services.AddSingleton<ITwilioRestClient>(sp =>
        {
            var twilio = sp.GetRequiredService<IOptions<TwilioOptions>>().Value;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(TwilioHttpClient);
            return new TwilioRestClient(twilio.AccountSid, twilio.AuthToken, httpClient: new Twilio.Http.SystemNetHttpClient(http));
        });
        services.AddSingleton<IWhatsAppSender, TwilioWhatsAppSender>();

        // Media URLs redirect to another host: MediaFetcher follows redirects itself, so credentials stay on Twilio's.
        services.AddSettings(MediaOptions.From, new MediaOptionsValidator());
        var mediaPipeline = services.AddHttpClient(MediaFetcher.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .RemoveAllLoggers()
            .AddStandardResilienceHandler();
        services.AddOptions<HttpStandardResilienceOptions>(mediaPipeline.PipelineName).Configure<IServiceProvider>(UpstreamResilience.Configure);
        services.AddSingleton<MediaFetcher>();
        services.AddSingleton<IVoiceTranscriber, OpenAIVoiceTranscriber>();
        services.AddSingleton<MediaReader>();

        // A handoff webhook is the business's own endpoint: it is connected to only where the outbound guard allows (a
        // public address, or a host of TOOL_PRIVATE_HOSTS), and a redirect is an answer, not followed with a signed body.
        services.AddOutboundUrlGuard();
        var handoffPipeline = services.AddHttpClient(HandoffNotifier.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundUrlGuard>().CreateHandler())
            .RemoveAllLoggers()
            .AddStandardResilienceHandler();
        services.AddOptions<HttpStandardResilienceOptions>(handoffPipeline.PipelineName).Configure<IServiceProvider>((options, sp) =>
        {
            UpstreamResilience.Configure(options, sp);
            UpstreamResilience.NeverRetryRefusedConnections(options);
        });
        services.AddSingleton<HandoffNotifier>();

        // The businesses' tools: calls retried by FunctionToolCaller itself (with their idempotency key), never by a pipeline.
        // Both connect only where the outbound-URL guard allows, checked on the address connected to.
        services.AddHttpClient(FunctionToolCaller.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundUrlGuard>().CreateHandler())
            .RemoveAllLoggers();
        services.AddHttpClient(McpTools.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<OutboundUrlGuard>().CreateHandler())
            .RemoveAllLoggers();
        services.AddSingleton<IToolCallStore, PostgresToolCallStore>();

        // Knowledge: each bot's vector store kept in step with knowledge_documents by its grain; the sweep wakes
        // grains whose work is due (after a crash), on every silo.
        services.AddSettings(KnowledgeIndexOptions.From, new KnowledgeIndexOptionsValidator());
        services.AddSingleton<KnowledgeIndexStore>();
        services.AddSingleton<KnowledgeUpstream>();
        services.AddHostedService<KnowledgeSweeper>();
        services.AddSingleton<FunctionToolCaller>();
        services.AddSingleton<McpTools>();
        services.AddSingleton<ToolBox>();
        services.AddSingleton<KnowledgeSearch>();
        services.AddOptions<ReplyOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            var publicBaseUrl = configuration["PUBLIC_BASE_URL"];
            if (!string.IsNullOrWhiteSpace(publicBaseUrl))
            {
                options.StatusCallbackUrl = new Uri(publicBaseUrl.TrimEnd('/') + "/webhook/status");
            }
        });
        return services;
    }

    private static ApiKeyCredential OpenAIKey(IServiceProvider services) =>
        new(services.GetRequiredService<IOptions<OpenAIOptions>>().Value.ApiKey ?? "");

    private static Uri OpenAIEndpoint(IServiceProvider services) =>
        new(services.GetRequiredService<IOptions<OpenAIOptions>>().Value.BaseUrl);

    /// <summary>Puts the SDK on our resilient HttpClient and switches off its own zero-delay retries.</summary>
    private static T OnOurPipeline<T>(IServiceProvider services, T options)
        where T : ClientPipelineOptions
    {
        options.Transport = new HttpClientPipelineTransport(services.GetRequiredService<IHttpClientFactory>().CreateClient(OpenAIHttpClient));
        options.RetryPolicy = new ClientRetryPolicy(maxRetries: 0);
        options.NetworkTimeout = TimeSpan.FromSeconds(120);
        return options;
    }
}
