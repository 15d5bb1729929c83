using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Clock;

/// <summary>
/// The test classes that move one <see cref="FakeClockCluster"/>'s clock: one after another, since an advance made by
/// one test would fire the timers of another's.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FakeClockCollection : ICollectionFixture<FakeClockCluster>
{
    public const string Name = "fake clock";
}
