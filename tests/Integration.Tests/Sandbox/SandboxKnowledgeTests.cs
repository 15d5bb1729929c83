using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HorizonAI.Sandbox.Knowledge;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Files;
using OpenAI.Responses;
using OpenAI.VectorStores;

namespace HorizonAI.Integration.Tests.Sandbox;

/// <summary>
/// The OpenAI stand-in's Files, Vector Stores and file_search, and its <c>search_knowledge</c> behaviour, driven
/// through the real OpenAI SDK: ingestion is asynchronous and can be made to fail, a Responses turn with file_search
/// quotes the best sentence of the named stores with a citation, and a lost store is refused as OpenAI refuses it.
/// </summary>
public sealed class SandboxKnowledgeTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private const string Menu = "Our pizza margherita costs 12 euros.\nWe open every day at noon. The kitchen closes at 23:00.";

    private static readonly BinaryData Schema = BinaryData.FromString("""{"type":"object","properties":{"query":{"type":"string"}}}""");

    private OpenAIClient Client => new(new ApiKeyCredential("sk-test"), new OpenAIClientOptions { Endpoint = new Uri(sandbox.BaseUrl + "/v1") });

    private OpenAIFileClient Files => Client.GetOpenAIFileClient();

    private VectorStoreClient Stores => Client.GetVectorStoreClient();

    private ResponsesClient Responses => Client.GetResponsesClient();

    [Fact]
    public async Task AFileAddedToAStoreIsInProgressUntilPolledThenCompletedAndEverythingDeletes()
    {
        var menu = await UploadAsync("menu.txt", Menu);
        Assert.StartsWith("file-", menu.Id, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetByteCount(Menu), menu.SizeInBytes);
        Assert.Equal("menu.txt", menu.Filename);
        Assert.Equal(FilePurpose.Assistants, menu.Purpose);

        var store = (await Stores.CreateVectorStoreAsync(new VectorStoreCreationOptions
        {
            Name = "bot +15550001001",
            Metadata = { ["bot"] = "+15550001001" },
        })).Value;
        Assert.StartsWith("vs_", store.Id, StringComparison.Ordinal);
        Assert.Equal(VectorStoreStatus.Completed, store.Status);
        Assert.Equal("+15550001001", store.Metadata["bot"]);

        var added = await Stores.AddFileToVectorStoreAsync(store.Id, menu.Id);
        Assert.Equal(VectorStoreFileStatus.InProgress, added.Value.Status);
        Assert.Equal(store.Id, added.Value.VectorStoreId);
        Assert.Null(added.Value.LastError);
        Assert.True(added.GetRawResponse().Headers.TryGetValue("openai-poll-after-ms", out var pollAfter));
        Assert.Equal("50", pollAfter);

        // The first poll still sees it in progress; the next one completed, with its bytes counted.
        var first = (await Stores.GetVectorStoreFileAsync(store.Id, menu.Id)).Value;
        Assert.Equal(VectorStoreFileStatus.InProgress, first.Status);
        var completed = await PollAsync(store.Id, menu.Id);
        Assert.Equal(VectorStoreFileStatus.Completed, completed.Status);
        Assert.Equal(menu.SizeInBytes, completed.UsageInBytes);
        var read = (await Stores.GetVectorStoreAsync(store.Id)).Value;
        Assert.Equal(1, read.FileCounts.Completed);
        Assert.Equal(1, read.FileCounts.Total);
        Assert.Equal((long?)menu.SizeInBytes, read.UsageBytes);

        Assert.True((await Stores.RemoveFileFromVectorStoreAsync(store.Id, menu.Id)).Value.Removed);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => Stores.GetVectorStoreFileAsync(store.Id, menu.Id))).Status);
        Assert.True((await Stores.DeleteVectorStoreAsync(store.Id)).Value.Deleted);
        var gone = await Assert.ThrowsAsync<ClientResultException>(() => Stores.GetVectorStoreAsync(store.Id));
        Assert.Equal(404, gone.Status);
        Assert.Contains($"No vector store found with id '{store.Id}'.", gone.Message, StringComparison.Ordinal);
        Assert.True((await Files.DeleteFileAsync(menu.Id)).Value.Deleted);
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => Files.GetFileAsync(menu.Id))).Status);

        Assert.True(sandbox.State.Knowledge.Files.Single(f => f.Id == menu.Id).Deleted);
        Assert.True(sandbox.State.Knowledge.Stores.Single(s => s.Id == store.Id).Deleted);
    }

    [Fact]
    public async Task TheFailureSwitchFailsTheNextFileWithALastErrorAndHeldFilesStayInProgressUntilReleased()
    {
        var store = (await Stores.CreateVectorStoreAsync(new VectorStoreCreationOptions { Name = "failing" })).Value;
        var broken = await UploadAsync("broken.txt", "nothing to see");
        var fine = await UploadAsync("fine.txt", "all good");
        sandbox.State.Knowledge.FailNextFiles = 1;
        await Stores.AddFileToVectorStoreAsync(store.Id, broken.Id);
        await Stores.AddFileToVectorStoreAsync(store.Id, fine.Id);

        var failed = await PollAsync(store.Id, broken.Id);
        Assert.Equal(VectorStoreFileStatus.Failed, failed.Status);
        Assert.Equal(VectorStoreFileErrorCode.ServerError, failed.LastError.Code);
        Assert.False(string.IsNullOrEmpty(failed.LastError.Message));
        Assert.Equal(VectorStoreFileStatus.Completed, (await PollAsync(store.Id, fine.Id)).Status);

        sandbox.State.Knowledge.HoldIngestion = true;
        try
        {
            var held = await UploadAsync("held.txt", "held back");
            await Stores.AddFileToVectorStoreAsync(store.Id, held.Id);
            for (var poll = 0; poll < 3; poll++)
            {
                Assert.Equal(VectorStoreFileStatus.InProgress, (await Stores.GetVectorStoreFileAsync(store.Id, held.Id)).Value.Status);
            }

            Assert.Equal(VectorStoreStatus.InProgress, (await Stores.GetVectorStoreAsync(store.Id)).Value.Status);
            sandbox.State.Knowledge.HoldIngestion = false;
            Assert.Equal(VectorStoreFileStatus.Completed, (await PollAsync(store.Id, held.Id)).Status);
        }
        finally
        {
            sandbox.State.Knowledge.HoldIngestion = false;
        }
    }

    [Fact]
    public async Task FileSearchQuotesTheBestSentenceOfTheNamedStoresOnlyWithACitationAndAFileSearchCall()
    {
        var (menuStore, menu) = await StoreWithAsync("menu.txt", Menu);
        var (otherStore, _) = await StoreWithAsync("other.txt", "Pizza margherita costs 99 euros at the other restaurant.");

        var response = (await Responses.CreateResponseAsync(FileSearch([menuStore], "How much does the pizza margherita cost?"))).Value;

        var text = "From menu.txt: Our pizza margherita costs 12 euros.";
        Assert.Equal(text + "【4:0†menu.txt】", response.GetOutputText());
        var call = Assert.IsType<FileSearchCallResponseItem>(response.OutputItems[0]);
        Assert.Equal(["How much does the pizza margherita cost?"], call.Queries);
        var message = Assert.IsAssignableFrom<MessageResponseItem>(response.OutputItems[1]);
        var citation = Assert.IsType<FileCitationMessageAnnotation>(Assert.Single(message.Content[0].OutputTextAnnotations));
        Assert.Equal(menu.Id, citation.FileId);
        Assert.Equal("menu.txt", citation.Filename);
        Assert.Equal(text.Length, citation.Index);
        var recorded = sandbox.State.OpenAIRequests[^1];
        Assert.Equal([menuStore], recorded.FileSearchStoreIds);
        Assert.Equal([menu.Id], recorded.CitedFileIds);
        Assert.DoesNotContain(otherStore, recorded.FileSearchStoreIds);

        // Asked to include them, the call carries its results.
        var withResults = FileSearch([menuStore], "How much does the pizza margherita cost?");
        withResults.IncludedProperties.Add(IncludedResponseProperty.FileSearchCallResults);
        var result = Assert.Single(Assert.IsType<FileSearchCallResponseItem>((await Responses.CreateResponseAsync(withResults)).Value.OutputItems[0]).Results);
        Assert.Equal(("Our pizza margherita costs 12 euros.", menu.Id, "menu.txt"), (result.Text, result.FileId, result.Filename));
        Assert.Equal(2f / 7, result.Score!.Value, 0.001f); // "pizza" and "margherita" of seven words

        // With #privatecite the marker is the private-use one; a question the files do not answer gets the ordinary reply.
        var privately = (await Responses.CreateResponseAsync(FileSearch([menuStore], "When do you open? #privatecite"))).Value;
        Assert.Equal("From menu.txt: We open every day at noon.\uE200filecite\uE202turn0file0\uE201", privately.GetOutputText());
        var unanswered = (await Responses.CreateResponseAsync(FileSearch([menuStore], "hola"))).Value;
        Assert.Empty(unanswered.OutputItems.OfType<FileSearchCallResponseItem>());
        Assert.Contains("you said: hola", unanswered.GetOutputText(), StringComparison.Ordinal);
        Assert.Equal([menuStore], sandbox.State.OpenAIRequests[^1].FileSearchStoreIds);
    }

    [Fact]
    public async Task AStoreDeletedBehindThePlatformsBackFailsFileSearchWith404()
    {
        var (lost, _) = await StoreWithAsync("hours.txt", "We open at noon.");
        var bot = "+1555" + Random.Shared.Next(1_000_000, 9_999_999);
        var (alsoLost, _) = await StoreWithAsync("prices.txt", "Coffee costs 2 euros.", bot);
        Assert.True(sandbox.State.Knowledge.DeleteStore(lost));

        var refused = await Assert.ThrowsAsync<ClientResultException>(() => Responses.CreateResponseAsync(FileSearch([lost], "when do you open")));
        Assert.Equal(404, refused.Status);
        Assert.Contains($"Vector store with id '{lost}' not found.", refused.Message, StringComparison.Ordinal);

        // Through the control API, by the metadata the platform gave the store.
        var answer = await sandbox.Http.PostAsJsonAsync("/_sandbox/openai/vector-stores/delete", new { metadata = new { bot } });
        answer.EnsureSuccessStatusCode();
        Assert.Equal(1, (await answer.Content.ReadFromJsonAsync<JsonObject>())!["deleted"]!.GetValue<int>());
        Assert.Equal(404, (await Assert.ThrowsAsync<ClientResultException>(() => Stores.GetVectorStoreAsync(alsoLost))).Status);
    }

    [Fact]
    public async Task SearchKnowledgeOnChatIsCalledWithTheUsersTextAndItsFollowUpQuotesTheOutput()
    {
        var chat = Client.GetChatClient("gpt-test");
        var options = new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("search_knowledge", "Searches the business's documents.", Schema) } };
        List<ChatMessage> messages = [new UserChatMessage("What time do you open?")];

        var first = (await chat.CompleteChatAsync(messages, options)).Value;
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("search_knowledge", call.FunctionName);
        Assert.Equal("""{"query":"What time do you open?"}""", call.FunctionArguments.ToString());

        messages.Add(new AssistantChatMessage(first.ToolCalls));
        messages.Add(new ToolChatMessage(call.Id, """{"results":[{"title":"Hours","text":"We close at midnight. We open at noon."}]}"""));
        var answered = (await chat.CompleteChatAsync(messages, options)).Value;
        Assert.Equal("From knowledge: We open at noon.", answered.Content[0].Text);
        var recorded = sandbox.State.OpenAIRequests[^1];
        Assert.Equal(call.Id, Assert.Single(recorded.ToolOutputs).CallId);

        // An output that says nothing about it.
        messages[^1] = new ToolChatMessage(call.Id, """{"results":[]}""");
        Assert.Equal("I found nothing about that.", (await chat.CompleteChatAsync(messages, options)).Value.Content[0].Text);

        // A #tool tag takes precedence over the search.
        var tagged = (await chat.CompleteChatAsync([new UserChatMessage("""#tool:search_knowledge{"query":"menu"}""")], options)).Value;
        Assert.Equal("""{"query":"menu"}""", Assert.Single(tagged.ToolCalls).FunctionArguments.ToString());
    }

    [Fact]
    public async Task SearchKnowledgeOnResponsesIsCalledAndItsFollowUpQuotesTheOutput()
    {
        var tool = ResponseTool.CreateFunctionTool("search_knowledge", Schema, strictModeEnabled: false);
        var options = new CreateResponseOptions { Model = "gpt-test", Tools = { tool } };
        options.InputItems.Add(ResponseItem.CreateUserMessageItem("¿Cuánto cuesta la pizza?"));
        var first = (await Responses.CreateResponseAsync(options)).Value;
        var call = Assert.Single(first.OutputItems.OfType<FunctionCallResponseItem>());
        Assert.Equal("¿Cuánto cuesta la pizza?", JsonNode.Parse(call.FunctionArguments.ToString())!["query"]!.GetValue<string>());

        var followUp = new CreateResponseOptions { Model = "gpt-test", PreviousResponseId = first.Id, Tools = { tool } };
        followUp.InputItems.Add(ResponseItem.CreateFunctionCallOutputItem(call.CallId, "Abrimos a mediodía. La pizza margarita cuesta 9000 pesos."));
        var answered = (await Responses.CreateResponseAsync(followUp)).Value;
        Assert.Equal("From knowledge: La pizza margarita cuesta 9000 pesos.", answered.GetOutputText());
    }

    [Fact]
    public async Task TheIngestionSwitchesAreSetThroughTheControlApiAllOrNothing()
    {
        var knowledge = sandbox.State.Knowledge;
        var refused = await sandbox.Http.PostAsJsonAsync("/_sandbox/openai/knowledge", new { failAllFiles = true, failEverything = true });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.False(knowledge.FailAllFiles);

        var set = await sandbox.Http.PostAsJsonAsync("/_sandbox/openai/knowledge", new { failAllFiles = true, pollsInProgress = 0, ingestionDelayMs = (int?)null });
        set.EnsureSuccessStatusCode();
        try
        {
            var store = (await Stores.CreateVectorStoreAsync(new VectorStoreCreationOptions { Name = "switched" })).Value;
            var file = await UploadAsync("any.txt", "anything");
            await Stores.AddFileToVectorStoreAsync(store.Id, file.Id);
            var read = (await Stores.GetVectorStoreFileAsync(store.Id, file.Id)).Value;
            Assert.Equal(VectorStoreFileStatus.Failed, read.Status);
            Assert.Equal(0, read.UsageInBytes);
        }
        finally
        {
            knowledge.Reset();
        }

        Assert.Equal((SandboxKnowledge.DefaultPollsInProgress, SandboxKnowledge.DefaultIngestionDelayMs, false),
            (knowledge.PollsInProgress, knowledge.IngestionDelayMs, knowledge.FailAllFiles));
    }

    private async Task<OpenAIFile> UploadAsync(string name, string text) =>
        (await Files.UploadFileAsync(BinaryData.FromString(text), name, FileUploadPurpose.Assistants)).Value;

    /// <summary>A new store with one file, polled until the file completed, as the platform would.</summary>
    private async Task<(string StoreId, OpenAIFile File)> StoreWithAsync(string name, string text, string bot = "+15550009999")
    {
        var file = await UploadAsync(name, text);
        var store = (await Stores.CreateVectorStoreAsync(new VectorStoreCreationOptions
        {
            Name = name,
            FileIds = { file.Id },
            Metadata = { ["bot"] = bot },
        })).Value;
        Assert.Equal(VectorStoreFileStatus.Completed, (await PollAsync(store.Id, file.Id)).Status);
        return (store.Id, file);
    }

    private async Task<VectorStoreFile> PollAsync(string storeId, string fileId)
    {
        for (var poll = 0; poll < 20; poll++)
        {
            var file = (await Stores.GetVectorStoreFileAsync(storeId, fileId)).Value;
            if (file.Status != VectorStoreFileStatus.InProgress)
            {
                return file;
            }
        }

        throw new TimeoutException($"{fileId} in {storeId} still in progress after 20 polls");
    }

    private static CreateResponseOptions FileSearch(string[] storeIds, string userText)
    {
        var options = new CreateResponseOptions { Model = "gpt-test", Tools = { ResponseTool.CreateFileSearchTool(storeIds) } };
        options.InputItems.Add(ResponseItem.CreateUserMessageItem(userText));
        return options;
    }
}
