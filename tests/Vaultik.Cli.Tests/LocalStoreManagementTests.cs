using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class LocalStoreManagementTests : StoreManagementTests
{
    protected override TestStore Store { get; } = new TestStore.Local();
}
