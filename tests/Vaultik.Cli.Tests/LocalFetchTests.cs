using Vaultik.Cli.Tests.Infrastructure;

namespace Vaultik.Cli.Tests;

public sealed class LocalFetchTests : FetchTests
{
    protected override TestStore Store { get; } = new TestStore.Local();
}
