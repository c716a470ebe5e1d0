using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class LocalStoreStatusTests : StoreStatusTests
{
    protected override TestStore Store { get; } = new TestStore.Local();

    protected override Task<CliRunner> MonitorAsync(Sandbox box, string config) => Task.FromResult(Machine(box, config));
}
