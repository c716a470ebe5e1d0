namespace Vaultik.Cli.Tests.Infrastructure;

/// <summary>Base of scenario suites that run once per kind of store (a subclass per <see cref="TestStore"/>).</summary>
public abstract class StoreScenarioTests : IAsyncLifetime
{
    protected abstract TestStore Store { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Store.DisposeAsync();

    /// <summary>A fresh sandbox on this kind of store (the test is skipped, with the reason, where it is unavailable).</summary>
    protected Task<Sandbox> BoxAsync()
    {
        Skip.If(Store.SkipReason is not null, Store.SkipReason);
        return Store.CreateSandboxAsync();
    }

    /// <summary>A fresh sandbox whose downloads the store can count outside vaultik (<see cref="TestStore.RunMeteredAsync"/>).</summary>
    protected Task<Sandbox> MeteredBoxAsync()
    {
        Skip.If(Store.SkipReason is not null, Store.SkipReason);
        return Store.CreateMeteredSandboxAsync();
    }
}
